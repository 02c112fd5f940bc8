import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeSelfSignedCertificate } from "@realmchat/node-runtime";
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

  it("check validates a config without starting: what it would do, the TLS pair and its fingerprint, or what is wrong", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bridge-check-"));
    try {
      const secret = "0f3a9c1e7b2d4856a0c3e9f1b7d24c6e8a1f3b5d7c9e0a2b4c6d8e0f1a3b5c7d";
      const config = join(dir, "bridge.json");
      const base = {
        realm: "realm2",
        listen: { host: "127.0.0.1", port: 9899 },
        realmServer: { host: "127.0.0.1", port: 8900, secret },
        peers: [
          { realm: "realm1", secret },
          { realm: "realm3", host: "127.0.0.1", port: 9909, secret },
        ],
      };
      await writeFile(config, JSON.stringify(base));
      expect(await run(["check", "-c", config])).toMatchObject({
        code: 0,
        stdout:
          `${config}: OK (bridge of realm realm2; listens on 127.0.0.1:9899; realm server at 127.0.0.1:8900; ` +
          "2 peer(s): dials realm3, accepts realm1)\n",
      });
      const { cert, key, fingerprint } = makeSelfSignedCertificate(dir, "realm2");
      await writeFile(config, JSON.stringify({ ...base, tls: { cert, key } }));
      const tls = await run(["check", "-c", config]);
      expect(tls.code).toBe(0);
      expect(tls.stdout).toContain(`listens on 127.0.0.1:9899 with TLS`);
      expect(tls.stdout).toContain(`its fingerprint for the peers to pin: ${fingerprint}`);
      const other = makeSelfSignedCertificate(dir, "other");
      await writeFile(config, JSON.stringify({ ...base, tls: { cert, key: other.key } }));
      const mismatched = await run(["check", "-c", config]);
      expect(mismatched.code).toBe(1);
      expect(mismatched.stderr).toContain(`is not the key of ${cert}`);
      expect(mismatched.stderr).toContain("openssl req");
      await writeFile(config, JSON.stringify({ ...base, peers: [{ realm: "realm1" }] }));
      const bad = await run(["check", "-c", config]);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain("secret");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
