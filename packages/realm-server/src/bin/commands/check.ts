import { loadTlsIdentity } from "@realmchat/node-runtime";
import type { Command } from "commander";
import { loadRealmConfig } from "../../realm-config.ts";

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("check a realm config without starting anything: keys, values, and the files it names")
    .requiredOption("-c, --config <file>", "realm config file")
    .action(async (flags: { readonly config: string }) => {
      const config = await loadRealmConfig(flags.config);
      if (config.tls !== undefined) {
        try {
          await loadTlsIdentity(config.tls);
        } catch (err) {
          throw new Error(
            `${flags.config}: tls: ${(err as Error).message} (make a test certificate with \`openssl req -x509 -newkey ec ` +
              `-pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 -subj /CN=localhost -keyout key.pem -out cert.pem\`)`,
          );
        }
      }
      const parts = [`realm ${config.realm}`, `${config.users.length} user${config.users.length === 1 ? "" : "s"} in the file`];
      parts.push(
        config.federation === undefined ? "no federation" : `federation port ${config.federation.port ?? "(from the command line)"}`,
      );
      if (config.tls !== undefined) parts.push("TLS on the client port");
      process.stdout.write(`${flags.config}: OK (${parts.join(", ")})\n`);
    });
}
