import { spawn } from "node:child_process";
import { openSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createProcessLogger, type ProcessLoggerOptions } from "./process-logger.ts";

const SELF = fileURLToPath(new URL("./process-logger.ts", import.meta.url));
let dir: string | undefined;

afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Logs through a logger writing to a file, and gives back the file's lines. */
async function logged(options: Omit<ProcessLoggerOptions, "destination">, write: (log: ReturnType<typeof createProcessLogger>) => void) {
  dir = await mkdtemp(join(tmpdir(), "process-logger-"));
  const file = join(dir, "log");
  const log = createProcessLogger({ ...options, destination: openSync(file, "a") });
  write(log);
  await log.flush();
  return (await readFile(file, "utf8")).split("\n").filter((l) => l !== "");
}

describe("createProcessLogger", () => {
  it("writes one JSON object per line with level, time, role, name, message and fields", async () => {
    const lines = await logged({ role: "realm", name: "realm1", level: "info", format: "json" }, (log) => {
      log.info("logged in", { user: "messi", peer: "127.0.0.1:5000", sessions: 2, left: undefined });
    });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: "info", role: "realm", name: "realm1", msg: "logged in", user: "messi", sessions: 2 });
    expect(entry).not.toHaveProperty("left");
    expect(new Date(entry.time as string).toISOString()).toBe(entry.time);
  });

  it("keeps a value a client chose in its line: line breaks, DEL, C1 and U+2028/9 escaped, read back unchanged", async () => {
    const forged = 'messi\n{"level":"info","msg":"admin logged in"}\r\u2028\u2029\u0085\u009b31m\u007f\u001b[2J"\\';
    const lines = await logged({ role: "realm", name: "realm1", level: "info", format: "json" }, (log) => {
      log.warn("auth failed", { user: forged });
      log.warn(forged);
    });
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect((JSON.parse(lines[0] as string) as { user: string }).user).toBe(forged);
    expect((JSON.parse(lines[1] as string) as { msg: string }).msg).toBe(forged);
  });

  it("leaves out what is below its level, and writes logfmt for the text format", async () => {
    const lines = await logged({ role: "bridge", name: "realm2", level: "warn", format: "text" }, (log) => {
      log.debug("not this");
      log.info("nor this");
      log.warn("still unreachable", { link: "realm3", down_s: 60 });
      log.error("and this");
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\S+Z warn \[bridge realm2\] still unreachable link=realm3 down_s=60$/);
    expect(lines[1]).toContain("error [bridge realm2] and this");
    expect(await logged({ role: "r", name: "n", level: "silent", format: "json" }, (log) => log.error("x"))).toEqual([]);
  });
});

/** A child process that logs through the logger to its standard error, which the test reads only when it says so. */
function childLogging(script: string) {
  const child = spawn(
    process.execPath,
    ["--input-type=module", "-e", `import { createProcessLogger } from ${JSON.stringify(SELF)};\n${script}`],
    {
      stdio: "pipe",
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  const said = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(stdout);
        if (m !== null) resolve(m);
      };
      child.stdout.on("data", check);
      child.once("exit", (code) => reject(new Error(`child exited ${code} before saying ${pattern}: ${stdout}`)));
      check();
    });
  const readStderr = () => child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  return { child, said, readStderr, exited, stderr: () => stderr };
}

describe("a process's log on a standard error nobody reads", () => {
  it("never stalls the event loop: two MB logged, a timer still fires; every line arrives once it is read", async () => {
    const run = childLogging(`
      const log = createProcessLogger({ role: "t", name: "t", level: "info", format: "json" });
      const pad = "x".repeat(1000);
      for (let i = 0; i < 2000; i++) log.info("line", { i, pad });
      setTimeout(() => process.stdout.write("timer fired, dropped " + log.dropped + "\\n"), 20);
    `);
    // Nothing reads its stderr yet: the pipe (64 KiB) is full long before the loop ends.
    expect((await run.said(/timer fired, dropped (\d+)/))[1]).toBe("0");
    run.readStderr();
    expect(await run.exited).toBe(0);
    const lines = run
      .stderr()
      .split("\n")
      .filter((l) => l !== "");
    expect(lines.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual([...Array(2000).keys()]);
  }, 30_000);

  it("past its bound drops lines, counts them, and says how many in the next line it writes", async () => {
    const run = childLogging(`
      const log = createProcessLogger({ role: "t", name: "t", level: "info", format: "json", maxUnwrittenBytes: 64 * 1024 });
      const pad = "x".repeat(1000);
      for (let i = 0; i < 2000; i++) log.info("line", { i, pad });
      process.stdout.write("dropped " + log.dropped + "\\n");
      process.stdin.once("data", () => { log.info("after"); process.stdin.destroy(); });
    `);
    const dropped = Number((await run.said(/dropped (\d+)/))[1]);
    expect(dropped).toBeGreaterThan(1000);
    run.readStderr();
    run.child.stdin.write("go\n");
    expect(await run.exited).toBe(0);
    const entries = run
      .stderr()
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as { msg: string; i?: number; dropped?: number; level: string });
    expect(entries.filter((e) => e.msg === "line")).toHaveLength(2000 - dropped);
    // A short report fits where a long line did not: the counts come in several reports, together all of them.
    const reports = entries.filter((e) => e.level === "warn");
    expect(reports.reduce((sum, e) => sum + (e.dropped ?? 0), 0)).toBe(dropped);
    expect(entries.slice(-2)).toMatchObject([{ level: "warn" }, { msg: "after" }]);
  }, 30_000);
});
