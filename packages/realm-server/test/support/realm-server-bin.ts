import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The realm-server binary, run from source. */
export const REALM_SERVER_BIN = fileURLToPath(new URL("../../src/bin/realm-server.ts", import.meta.url));

export interface BinaryResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `realm-server <args>` to its end with `input` on stdin. */
export function runRealmServer(args: readonly string[], input = ""): Promise<BinaryResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=@realmchat/source", REALM_SERVER_BIN, ...args], { stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
