import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { RunningRealmServer } from "@realmchat/realm-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliTestRealm } from "./test-server.ts";

const BIN = fileURLToPath(new URL("../src/bin/realmchat.ts", import.meta.url));

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function realmchat(args: readonly string[], input = "", env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=@realmchat/source", BIN, ...args], {
      stdio: "pipe",
      env: { PATH: process.env.PATH, NO_COLOR: "1", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

let server: RunningRealmServer;
let address: string;

beforeAll(async () => {
  server = await startCliTestRealm();
  address = `127.0.0.1:${server.listener.port}`;
});

afterAll(async () => {
  await server.close();
});

describe("realmchat one-shot commands", () => {
  it("send and inbox with --user/--password; --json output; inbox drains", async () => {
    const sent = await realmchat(["send", "-s", address, "-u", "messi", "-p", "surabaya", "henderson", "hello", "from", "a", "script"]);
    expect(sent).toMatchObject({ code: 0, stdout: "message sent to henderson\n", stderr: "" });
    const inbox = await realmchat(["inbox", "-s", address, "-u", "henderson", "-p", "surabaya", "--json"]);
    expect(inbox.code).toBe(0);
    const entries = JSON.parse(inbox.stdout) as Array<{ from: string; text: string }>;
    expect(entries.map((e) => [e.from, e.text])).toEqual([["messi", "hello from a script"]]);
    const again = await realmchat(["inbox", "-s", address, "-u", "henderson", "-p", "surabaya"]);
    expect(again).toMatchObject({ code: 0, stdout: "inbox is empty\n" });
  });

  it("login prints a token that REALMCHAT_TOKEN then uses", async () => {
    const login = await realmchat(["login", "-s", address, "-u", "messi", "-p", "surabaya"]);
    expect(login.code).toBe(0);
    const token = login.stdout.trim();
    const sent = await realmchat(["send", "-s", address, "messi", "note"], "", { REALMCHAT_TOKEN: token });
    expect(sent.code).toBe(0);
    const inbox = await realmchat(["inbox", "-s", address], "", { REALMCHAT_TOKEN: token });
    expect(inbox.stdout).toMatch(/^1 message:\n\[\d\d:\d\d\] Lionel Messi \(messi\): note\n$/);
  });

  it("fails with a clear message and a non-zero exit", async () => {
    const wrong = await realmchat(["inbox", "-s", address, "-u", "messi", "-p", "nope"]);
    expect(wrong).toMatchObject({ code: 1, stderr: "realmchat: invalid username or password\n" });
    const nobody = await realmchat(["send", "-s", address, "-u", "messi", "-p", "surabaya", "ghost", "hi"]);
    expect(nobody).toMatchObject({ code: 1, stderr: "realmchat: user 'ghost' not found\n" });
    const noCreds = await realmchat(["inbox", "-s", address]);
    expect(noCreds.code).toBe(2);
    expect(noCreds.stderr).toContain("--user");
    const badServer = await realmchat(["inbox", "-s", "127.0.0.1:1", "-u", "messi", "-p", "surabaya"]);
    expect(badServer.code).toBe(1);
    expect(badServer.stderr).toContain("cannot connect to 127.0.0.1:1");
  });
});

describe("realmchat's command line", () => {
  it("usage errors exit 2 with one clear line; --version on every command; help names the environment", async () => {
    const version = (JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
    expect(await realmchat(["bogus"])).toMatchObject({ code: 2, stderr: "realmchat: unknown command 'bogus' (see realmchat --help)\n" });
    const unknownFlag = await realmchat(["send", "--nope"]);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain("unknown option '--nope'");
    expect((await realmchat(["send", "-s", address, "-u", "messi", "-p", "x"])).code).toBe(2);
    expect(await realmchat(["-s", "127.0.0.1:99999"])).toMatchObject({
      code: 2,
      stderr: "realmchat: '127.0.0.1:99999' is not host:port\n",
    });
    for (const args of [["--version"], ["send", "--version"], ["inbox", "-V"], ["chat", "--version"]]) {
      expect(await realmchat(args)).toMatchObject({ code: 0, stdout: `${version}\n` });
    }
    const help = await realmchat(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).not.toContain("classic protocol)");
    expect(help.stdout).toContain("With no command, runs 'chat'");
    for (const name of ["REALMCHAT_SERVER", "REALMCHAT_PASSWORD", "REALMCHAT_TOKEN", "NO_COLOR"]) expect(help.stdout).toContain(name);
    // Values from the environment are never printed as defaults.
    expect((await realmchat(["send", "--help"], "", { REALMCHAT_PASSWORD: "surabaya" })).stdout).not.toContain("surabaya");
  });

  it("with --user and no password off a terminal, says how to give one instead of waiting", async () => {
    const out = await realmchat(["login", "-s", address, "-u", "messi"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("$REALMCHAT_PASSWORD");
  });
});

describe("realmchat classic (interactive, classic protocol)", () => {
  it("runs a scripted session: auth, send, inbox, group chat, errors, quit", async () => {
    const script = [
      "help",
      "send henderson too early",
      "auth messi surabaya",
      "send henderson  hi   there",
      "send ghost hi",
      "send messi to myself",
      "inbox",
      "group batak",
      "halo gaes",
      "exit",
      "nonsense",
      "quit",
      "",
    ].join("\n");
    const out = await realmchat(["classic", "--server", address], script);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    const lines = out.stdout.split("\n").map((l) => l.replace(/^messi@[^>]*> |^guest@[^>]*> /, ""));
    expect(lines).toContain("error: not logged in: auth first");
    expect(lines).toContain("logged in as messi");
    expect(lines).toContain("message sent to henderson");
    expect(lines).toContain("error: user 'ghost' not found");
    expect(lines.some((l) => /^\[\d\d:\d\d\] Lionel Messi \(messi\): to myself$/.test(l))).toBe(true);
    expect(lines).toContain("messi joined");
    expect(lines).toContain("messi: halo gaes");
    expect(lines).toContain("Left group batak");
    expect(lines).toContain("error: unknown command 'nonsense' (try help)");
  });
});
