import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseLogLines } from "@realmchat/node-runtime";
import { REALM_SERVER_BIN, runRealmServer, serveRealm } from "./support/realm-server-bin.ts";
import { verifyPassword } from "../src/index.ts";
import { WireClient } from "./wire-client.ts";

let dir: string;
let server: ChildProcess | undefined;

afterEach(async () => {
  server?.kill("SIGKILL");
  server = undefined;
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe("the realm-server binary", () => {
  it("add-user creates a config with scrypt hashes; serve runs it; SIGTERM stops it cleanly", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-bin-"));
    const config = join(dir, "realm.json");
    const added = await runRealmServer(
      ["add-user", "-c", config, "--realm", "labrealm", "-u", "messi", "-n", "Lionel Messi"],
      "surabaya\n",
    );
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    const text = await readFile(config, "utf8");
    expect(text).not.toContain("surabaya");
    const parsed = JSON.parse(text) as { realm: string; users: Array<{ passwordHash: string }> };
    expect(parsed.realm).toBe("labrealm");
    expect(await verifyPassword("surabaya", parsed.users[0]?.passwordHash as string)).toBe(true);

    server = spawn(
      process.execPath,
      ["--conditions=@realmchat/source", REALM_SERVER_BIN, "--config", config, "--port", "0", "--data-dir", join(dir, "data")],
      { stdio: "pipe" },
    );
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      server?.stdout?.on("data", (d) => {
        out += d;
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      server?.on("exit", (code) => reject(new Error(`server exited early with ${code}`)));
    });
    const client = await WireClient.connect(port);
    const token = await client.auth("messi", "surabaya");
    expect(await client.request(`send ${token} messi note to self\r\n`)).toMatchObject({ status: "OK" });
    client.close();
    const exited = new Promise<number | null>((resolve) => server?.on("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 30_000);

  it("hash-password prints a hash that verifies", async () => {
    const out = await runRealmServer(["hash-password"], "s3cret\n");
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword("s3cret", out.stdout.trim())).toBe(true);
    expect(await verifyPassword("other", out.stdout.trim())).toBe(false);
  });

  it("refuses bad flags and bad config files with a message and a non-zero exit", async () => {
    const badPort = await runRealmServer(["--config", "x.json", "--port", "70000"]);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain("port");
    expect((await runRealmServer(["serve", "--no-such-flag"])).code).toBe(2);
    expect(await runRealmServer(["bogus"])).toMatchObject({
      code: 2,
      stderr: "realm-server: unknown command 'bogus' (see realm-server --help)\n",
    });
    const version = (JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
    for (const args of [["--version"], ["serve", "--version"], ["add-user", "-V"]])
      expect(await runRealmServer(args)).toMatchObject({ code: 0, stdout: `${version}\n` });
    const missing = await runRealmServer(["--config", "/nonexistent/realm.json", "--data-dir", "/tmp/never-created"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("cannot read the file");
    const help = await runRealmServer(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("add-user");
    // The default command's options are in the top-level help too.
    expect(help.stdout).toContain("-c, --config <file>");
  });

  it("logs JSON lines, one per event, at the level --log-level sets; refuses a level it does not know", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-bin-"));
    const config = join(dir, "realm.json");
    expect((await runRealmServer(["add-user", "-c", config, "--realm", "logrealm", "-u", "messi", "--password", "surabaya"])).code).toBe(0);
    const failLogin = async (port: number): Promise<void> => {
      const client = await WireClient.connect(port);
      await expect(client.auth("messi", "wrong")).rejects.toThrow();
      client.close();
    };

    const running = await serveRealm(config, join(dir, "data"));
    server = running.child;
    await failLogin(running.port);
    const entries = await waitFor(
      () => parseLogLines(running.log()),
      (e) => e.some((x) => x.msg === "auth failed"),
    );
    for (const e of entries) expect(e).toMatchObject({ role: "realm", name: "logrealm", pid: running.child.pid });
    expect(entries.find((e) => e.msg === "serving")).toMatchObject({ level: "info", data: join(dir, "data", "realm.db") });
    expect(entries.find((e) => e.msg === "auth failed")).toMatchObject({ level: "info", user: "messi" });
    server.kill("SIGKILL");

    const quiet = await serveRealm(config, join(dir, "data"), ["--log-level", "warn"]);
    server = quiet.child;
    await failLogin(quiet.port);
    const stopped = new Promise<number | null>((resolve) => quiet.child.on("exit", resolve));
    quiet.child.kill("SIGTERM");
    expect(await stopped).toBe(0);
    expect(parseLogLines(quiet.log())).toEqual([]);

    const text = await serveRealm(config, join(dir, "data"), ["--log-format", "text"]);
    server = text.child;
    expect(await waitFor(text.log, (log) => log.includes("serving"))).toMatch(/^\S+Z info \[realm logrealm\] serving data=/);
    server.kill("SIGKILL");

    expect(await runRealmServer(["-c", config, "--log-level", "loud"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("expected one of debug, info, warn, error, silent") as unknown,
    });
  }, 30_000);
});

/** Polls `read` until `done` holds of what it gives (the log is written asynchronously). */
async function waitFor<T>(read: () => T, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}
