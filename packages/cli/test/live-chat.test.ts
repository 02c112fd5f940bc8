import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hashPassword, SqliteRealmStore, startRealmServer, type RunningRealmServer } from "@realmchat/realm-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveClient } from "../src/live-client.ts";
import { startCliTestRealm } from "./test-server.ts";

const BIN = fileURLToPath(new URL("../src/bin/realmchat.ts", import.meta.url));
let server: RunningRealmServer;

beforeAll(async () => {
  server = await startCliTestRealm();
});
afterAll(async () => {
  await server.close();
});

describe("realmchat (live protocol) with piped input", () => {
  it("logs in, sends, joins two groups, lists, leaves, and reports errors; no colours off a terminal", async () => {
    const address = { host: "127.0.0.1", port: server.listener.port };
    const henderson = await LiveClient.connect(address);
    await henderson.auth("henderson", "surabaya");
    await henderson.join("batak");
    await henderson.send("messi", "waiting for you");
    const child = spawn(process.execPath, ["--conditions=@realmchat/source", BIN, "--server", `127.0.0.1:${server.listener.port}`], {
      stdio: "pipe",
      env: { PATH: process.env.PATH },
    });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    const exited = new Promise<number | null>((r) => child.on("close", r));
    child.stdin.end(
      [
        "/msg henderson too early",
        "login messi",
        "surabaya",
        "/inbox",
        "/join jazz batak",
        "halo gaes",
        "/groups",
        "/who batak",
        "exit",
        "/leave jazz",
        "nonsense",
        "/quit",
        "",
      ].join("\n"),
    );
    expect(await exited).toBe(0);
    await henderson.close();
    const lines = stdout.split("\n").map((l) => l.replace(/^(guest@\S+|messi@realm1( #\w+)?)> /, ""));
    expect(lines).toContain("error: not logged in (auth or resume first)");
    expect(lines).toContain("logged in as messi@realm1");
    expect(lines).toContain("1 message waiting: /inbox to read");
    expect(lines.some((l) => /^\[\d\d:\d\d\] Jordan Henderson \(henderson\): waiting for you$/.test(l))).toBe(true);
    expect(lines.some((l) => /^\[\d\d:\d\d\] #batak messi: halo gaes$/.test(l))).toBe(true);
    // Joining shows each event once: the own "joined" is not printed twice.
    expect(lines.filter((l) => / #jazz messi joined$/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => / #batak messi joined$/.test(l))).toHaveLength(1);
    expect(lines).toContain("* #batak");
    expect(lines).toContain("* #jazz");
    expect(lines.some((l) => l.startsWith("#batak: ") && l.includes("(2 online)"))).toBe(true);
    expect(lines).toContain("left #jazz");
    expect(lines).toContain("left #batak");
    expect(lines).toContain(
      "error: you are not in a group: /join <group> to talk in one, /msg <user> <text> for a private message, /help for more",
    );
    expect(lines.at(-2)).toBe("bye");
    expect(stdout).not.toContain("\u001b[");
  }, 30_000);

  it("keeps each window's lines in --log-dir; /away answers a private message once; own private messages are shown", async () => {
    const address = { host: "127.0.0.1", port: server.listener.port };
    const logDir = await mkdtemp(join(tmpdir(), "cli-logs-"));
    const child = spawn(
      process.execPath,
      ["--conditions=@realmchat/source", BIN, "--server", `127.0.0.1:${server.listener.port}`, "--log-dir", logDir],
      {
        stdio: ["pipe", "pipe", "pipe"],
        env: { PATH: process.env.PATH },
      },
    );
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    const exited = new Promise<number | null>((r) => child.on("close", r));
    child.stdin.write(["/login henderson", "surabaya", "/away at lunch", "/msg messi see you at 2", ""].join("\n"));
    const messi = await LiveClient.connect(address, () => undefined);
    await messi.auth("messi", "surabaya");
    // Henderson's own line is shown (and logged) before messi writes, so the log's order is fixed.
    for (let i = 0; i < 100 && !stdout.includes("henderson: see you at 2"); i++) await new Promise((r) => setTimeout(r, 50));
    await messi.send("henderson", "one");
    await messi.send("henderson", "two");
    for (let i = 0; i < 100 && !stdout.includes("messi: two"); i++) await new Promise((r) => setTimeout(r, 50));
    child.stdin.end("/quit\n");
    expect(await exited).toBe(0);
    const replies = (await messi.inbox()).map((m) => m.text);
    await messi.close();
    expect(replies).toEqual(["see you at 2", "(away) at lunch"]);
    expect(stdout).toMatch(/\[\d\d:\d\d\] henderson: see you at 2/);
    const log = await readFile(join(logDir, "@messi.log"), "utf8");
    expect(
      log
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.replace(/^\[\d\d:\d\d\] /, "")),
    ).toEqual(["henderson: see you at 2", "Lionel Messi (messi): one", "Lionel Messi (messi): two"]);
    await rm(logDir, { recursive: true, force: true });
  }, 30_000);

  it("a profile gives the server and user; with rememberToken the next start needs no password, until /logout", async () => {
    const config = await mkdtemp(join(tmpdir(), "cli-profile-"));
    await mkdir(join(config, "realmchat"));
    await writeFile(
      join(config, "realmchat", "config.json"),
      JSON.stringify({ profiles: { lab: { server: `127.0.0.1:${server.listener.port}`, user: "messi", rememberToken: true } } }),
    );
    const chat = (input: string): Promise<string> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, ["--conditions=@realmchat/source", BIN, "--profile", "lab"], {
          stdio: "pipe",
          env: { PATH: process.env.PATH, XDG_CONFIG_HOME: config },
        });
        let stdout = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.on("close", () => resolve(stdout));
        child.stdin.end(input);
      });
    expect(await chat("surabaya\n/quit\n")).toContain("logged in as messi@realm1");
    const tokens = join(config, "realmchat", "tokens.json");
    expect((await stat(tokens)).mode & 0o777).toBe(0o600);
    expect(Object.keys(JSON.parse(await readFile(tokens, "utf8")) as object)).toEqual([`messi@127.0.0.1:${server.listener.port}`]);
    // No password this time: the remembered token opens the session.
    const second = await chat("/logout\n/quit\n");
    expect(second).toContain("logged in as messi@realm1");
    expect(second).toContain("logged out");
    expect(JSON.parse(await readFile(tokens, "utf8"))).toEqual({});
    const unknown = spawn(process.execPath, ["--conditions=@realmchat/source", BIN, "--profile", "nope"], {
      stdio: "pipe",
      env: { PATH: process.env.PATH, XDG_CONFIG_HOME: config },
    });
    let err = "";
    unknown.stderr.on("data", (d) => (err += d));
    unknown.stdin.end();
    expect(await new Promise((r) => unknown.on("close", r))).toBe(1);
    expect(err).toContain("no profile 'nope' (profiles: lab)");
    await rm(config, { recursive: true, force: true });
  }, 30_000);

  it("given several servers of one realm, tries them in turn: when its server goes, the client resumes on another", async () => {
    const passwordHash = await hashPassword("surabaya");
    const config = {
      realm: "realm1",
      host: undefined,
      port: undefined,
      users: [
        { username: "messi", displayName: "Lionel Messi", passwordHash },
        { username: "henderson", displayName: "Jordan Henderson", passwordHash },
      ],
    };
    // Two servers of one realm on one store (as instances on one database would be).
    const dataDir = await mkdtemp(join(tmpdir(), "cli-instances-"));
    const store = SqliteRealmStore.open(dataDir, { sessionIdleMs: 60_000, open: "create" });
    const first = await startRealmServer({ config, host: "127.0.0.1", port: 0, store });
    const second = await startRealmServer({ config, host: "127.0.0.1", port: 0, store });
    const child = spawn(
      process.execPath,
      ["--conditions=@realmchat/source", BIN, "--server", `127.0.0.1:${first.listener.port},127.0.0.1:${second.listener.port}`],
      { stdio: "pipe", env: { PATH: process.env.PATH } },
    );
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    const until = async (text: string): Promise<void> => {
      for (let i = 0; i < 200 && !stdout.includes(text); i++) await new Promise((r) => setTimeout(r, 50));
      expect(stdout).toContain(text);
    };
    child.stdin.write("/login messi\nsurabaya\n/join batak\n");
    await until("in #batak");
    await first.listener.close();
    first.realm.close();
    await until("reconnected as messi, back in #batak");
    const henderson = await LiveClient.connect({ host: "127.0.0.1", port: second.listener.port });
    await henderson.auth("henderson", "surabaya");
    await henderson.join("batak");
    await henderson.say("batak", "on the other server");
    await until("#batak henderson: on the other server");
    child.stdin.end("/quit\n");
    await new Promise((r) => child.on("close", r));
    await henderson.close();
    second.realm.close();
    await second.listener.close();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }, 30_000);
});
