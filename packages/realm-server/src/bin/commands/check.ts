import { checkTlsFiles } from "@realmchat/node-runtime";
import type { Command } from "commander";
import { loadRealmConfig } from "../../realm-config.ts";

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("check a realm config without starting anything: keys, values, and the files it names")
    .requiredOption("-c, --config <file>", "realm config file")
    .action(async (flags: { readonly config: string }) => {
      const config = await loadRealmConfig(flags.config);
      if (config.tls !== undefined) await checkTlsFiles(flags.config, config.tls);
      const linkTls = config.federation?.tls;
      const linkFingerprint = linkTls === undefined ? undefined : await checkTlsFiles(flags.config, linkTls);
      const parts = [`realm ${config.realm}`, `${config.users.length} user${config.users.length === 1 ? "" : "s"} in the file`];
      parts.push(
        config.federation === undefined ? "no federation" : `federation port ${config.federation.port ?? "(from the command line)"}`,
      );
      if (config.tls !== undefined) parts.push("TLS on the client port");
      if (linkFingerprint !== undefined)
        parts.push(`TLS on the federation port, for the bridge's realmServer.fingerprint: ${linkFingerprint}`);
      process.stdout.write(`${flags.config}: OK (${parts.join(", ")})\n`);
    });
}
