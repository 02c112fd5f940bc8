import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../src/bin/peer-bridge.ts", import.meta.url));

function run(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=@realmchat/source", BIN, ...args], { stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

describe("the peer-bridge binary", () => {
  it("has --version everywhere, complete help, and exits 2 on bad usage", async () => {
    const version = (JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
    for (const args of [["--version"], ["run", "--version"], ["secret", "-V"]])
      expect(await run(args)).toMatchObject({ code: 0, stdout: `${version}\n` });
    const help = await run(["run", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--peer <realm=host:port>");
    expect(help.stdout).not.toContain("(default: {})");
    expect((await run(["--help"])).stdout).toContain("-c, --config <file>");
    expect(await run(["bogus"])).toMatchObject({ code: 2, stderr: "peer-bridge: unknown command 'bogus' (see peer-bridge --help)\n" });
    expect((await run(["run", "-c", "x.json", "--peer", "nonsense"])).code).toBe(2);
  });
});
