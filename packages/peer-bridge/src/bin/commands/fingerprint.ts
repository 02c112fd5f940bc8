import { readFile } from "node:fs/promises";
import { certificateFingerprint } from "@realmchat/node-runtime";
import type { Command } from "commander";

export function registerFingerprint(program: Command): void {
  program
    .command("fingerprint")
    .description("print the SHA-256 fingerprint of a certificate, for a peer's config to pin ('peers[].fingerprint')")
    .argument("<cert>", "PEM certificate file (this bridge's 'tls.cert')")
    .action(async (cert: string) => {
      process.stdout.write(certificateFingerprint(await readFile(cert, "utf8")) + "\n");
    });
}
