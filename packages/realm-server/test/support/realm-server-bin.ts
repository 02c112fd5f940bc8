import { spawn, type ChildProcess } from "node:child_process";
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

export interface ServingRealm {
  readonly child: ChildProcess;
  readonly port: number;
  /** Its federation port, when the config has `federation`. */
  readonly federationPort: number | undefined;
  /** What it has logged so far. */
  log(): string;
}

/** Starts `realm-server serve` as a child process on a free client port; resolves once it listens. */
export async function serveRealm(config: string, data: string, extraArgs: readonly string[] = []): Promise<ServingRealm> {
  const child = spawn(
    process.execPath,
    ["--conditions=@realmchat/source", REALM_SERVER_BIN, "--config", config, "--port", "0", "--data-dir", data, ...extraArgs],
    { stdio: "pipe" },
  );
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  let out = "";
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", (code) => reject(new Error(`server exited early with ${code}: ${err}`)));
  });
  // Printed before the line above.
  const federation = /federation on 127\.0\.0\.1:(\d+)/.exec(out);
  return { child, port, federationPort: federation === null ? undefined : Number(federation[1]), log: () => err };
}
