import { checkTlsFiles } from "@realmchat/node-runtime";
import type { Command } from "commander";
import { dialsPeer, loadBridgeConfig, type BridgeConfig } from "../../bridge-config.ts";

/** What the bridge would do with this config, in one line. */
function summary(config: BridgeConfig, fingerprint: string | undefined): string {
  const dialed = config.peers.filter((p) => dialsPeer(config.realm, p.realm));
  const others = config.realmServer.otherInstances.length;
  const parts = [
    `bridge of realm ${config.realm}`,
    `listens on ${config.listen.host}:${config.listen.port}${fingerprint === undefined ? "" : " with TLS"}`,
    `realm server at ${config.realmServer.host}:${config.realmServer.port}${others === 0 ? "" : ` and ${others} other instance(s)`}` +
      (config.realmServer.fingerprint === undefined ? "" : " over TLS, pinned"),
    `${config.peers.length} peer(s): dials ${dialed.map((p) => p.realm).join(", ") || "none"}` +
      `, accepts ${
        config.peers
          .filter((p) => !dialed.includes(p))
          .map((p) => p.realm)
          .join(", ") || "none"
      }`,
  ];
  const pinned = dialed.filter((p) => p.fingerprint !== undefined).length;
  if (pinned > 0) parts.push(`${pinned} dialed over TLS, pinned`);
  if (fingerprint !== undefined) parts.push(`its fingerprint for the peers to pin: ${fingerprint}`);
  return parts.join("; ");
}

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("check a bridge config without starting anything: keys, values, and the files it names")
    .requiredOption("-c, --config <file>", "bridge config file (JSON)")
    .action(async (flags: { readonly config: string }) => {
      const config = await loadBridgeConfig(flags.config);
      const fingerprint = config.tls === undefined ? undefined : await checkTlsFiles(flags.config, config.tls);
      process.stdout.write(`${flags.config}: OK (${summary(config, fingerprint)})\n`);
    });
}
