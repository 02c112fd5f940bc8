import { spawn } from "node:child_process";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../src/bin/lab-demo.ts", import.meta.url));

function runDemo(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=@realmchat/source", BIN, "--once", "--any-port", ...args], { stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("lab-demo --once", () => {
  it("starts two realms and two bridges as child processes, tours all six operations, and exits 0", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "lab-demo-"));
    const result = await runDemo(["--data-dir", dataDir]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("== tour finished: 6 steps passed, 0 failed");
    expect(result.stdout).toContain("henderson's inbox: Lionel Messi (messi): apa kabar disana?");
    expect(result.stdout).toContain("james's inbox: Lionel Messi (messi@realm1): Halo, apa kabar, james?");
    expect(result.stdout).toContain("[messi on realm1 sees] james@realm2 left");
    expect(result.code).toBe(0);
    // Each process's log is in a file the demo names; the realm logs its logins.
    expect(result.stdout).toContain(`logs: ${join(dataDir, "logs", "realm1.log")}`);
    expect(result.stdout).toContain(`logs: ${join(dataDir, "logs", "bridge-realm1.log")}`);
    const realmLog = await readFile(join(dataDir, "logs", "realm1.log"), "utf8");
    expect(realmLog).toContain("logged in");
    expect(realmLog).toContain("client disconnected");
    expect(await readFile(join(dataDir, "logs", "bridge-realm2.log"), "utf8")).not.toBe("");
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("--instances 2: each realm as two instances on a PostgreSQL it starts and stops, the tour's users spread over them", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "lab-demo-cluster-"));
    // PostgreSQL runs as its own user (never root), which must reach its folder inside ours.
    await chmod(dataDir, 0o755);
    const result = await runDemo(["--instances", "2", "--data-dir", dataDir]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("PostgreSQL 18 on 127.0.0.1:");
    expect(result.stdout).toMatch(/realm1\.2: server pid \d+/);
    expect(result.stdout).toMatch(/messi logs in to realm1 \(instance 1, port \d+\)/);
    expect(result.stdout).toMatch(/henderson logs in to realm1 \(instance 2, port \d+\)/);
    expect(result.stdout).toContain("[messi sees] henderson: halo messi!!!");
    expect(result.stdout).toContain("== tour finished: 6 steps passed, 0 failed");
    expect(result.code).toBe(0);
    // Stopped with everything else: a new server can take its folder at once.
    expect(await readFile(join(dataDir, "postgres", "postmaster.pid"), "utf8").catch(() => "gone")).toBe("gone");
    await rm(dataDir, { recursive: true, force: true });
  }, 90_000);
});
