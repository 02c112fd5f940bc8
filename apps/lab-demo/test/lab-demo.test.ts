import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../src/bin/lab-demo.ts", import.meta.url));

describe("lab-demo --once", () => {
  it("starts two realms and two bridges as child processes, tours all six operations, and exits 0", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "lab-demo-"));
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ["--conditions=@realmchat/source", BIN, "--once", "--any-port", "--data-dir", dataDir], { stdio: "pipe" });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("== tour finished: 6 steps passed, 0 failed");
    expect(result.stdout).toContain("henderson's inbox: Lionel Messi (messi): apa kabar disana?");
    expect(result.stdout).toContain("james's inbox: Lionel Messi (messi@realm1): Halo, apa kabar, james?");
    expect(result.stdout).toContain("[messi on realm1 sees] james@realm2 left");
    expect(result.code).toBe(0);
    // Each process's log is in a file the demo names; the realm logs its logins.
    expect(result.stdout).toContain(`logs: ${join(dataDir, "logs", "realm1.log")}, ${join(dataDir, "logs", "bridge-realm1.log")}`);
    const realmLog = await readFile(join(dataDir, "logs", "realm1.log"), "utf8");
    expect(realmLog).toContain("logged in");
    expect(realmLog).toContain("client disconnected");
    expect(await readFile(join(dataDir, "logs", "bridge-realm2.log"), "utf8")).not.toBe("");
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);
});
