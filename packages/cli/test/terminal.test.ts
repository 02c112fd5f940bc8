import { execFileSync, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunningRealmServer } from "@realmchat/realm-server";
import { afterEach, describe, expect, it } from "vitest";
import { LiveClient } from "../src/live-client.ts";
import { startCliTestRealm } from "./test-server.ts";

const BIN = fileURLToPath(new URL("../src/bin/realmchat.ts", import.meta.url));
const SOCKET = `realmchat-test-${process.pid}`;

/** Drives the real binary in a real pseudo-terminal (tmux) and reads what the screen shows. */
class Terminal {
  readonly name: string;
  constructor(name: string, command: string, env: Record<string, string> = {}) {
    this.name = name;
    const exports = Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    execFileSync("tmux", [
      "-L",
      SOCKET,
      "new-session",
      "-d",
      "-s",
      name,
      "-x",
      "120",
      "-y",
      "30",
      `env ${exports} TERM=xterm-256color ${command}`,
    ]);
  }
  key(name: string): void {
    execFileSync("tmux", ["-L", SOCKET, "send-keys", "-t", this.name, name]);
  }
  type(text: string, enter = true): void {
    execFileSync("tmux", ["-L", SOCKET, "send-keys", "-t", this.name, "-l", text]);
    if (enter) execFileSync("tmux", ["-L", SOCKET, "send-keys", "-t", this.name, "Enter"]);
  }
  screen(withColours = false): string {
    return execFileSync("tmux", ["-L", SOCKET, "capture-pane", "-p", ...(withColours ? ["-e"] : []), "-t", this.name], {
      encoding: "utf8",
    });
  }
  async shows(pattern: RegExp | string, withColours = false, ms = 10_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const screen = this.screen(withColours);
      if (typeof pattern === "string" ? screen.includes(pattern) : pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`the screen never showed ${String(pattern)}:\n${screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  kill(): void {
    spawnSync("tmux", ["-L", SOCKET, "kill-session", "-t", this.name]);
  }
}

let server: RunningRealmServer | undefined;
let dataDir: string | undefined;
const terminals: Terminal[] = [];

afterEach(async () => {
  for (const t of terminals.splice(0)) t.kill();
  await server?.close();
  server = undefined;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function realmchat(port: number, name: string, env: Record<string, string> = {}): Terminal {
  const t = new Terminal(name, `${process.execPath} --conditions=@realmchat/source ${BIN} --server 127.0.0.1:${port}`, env);
  terminals.push(t);
  return t;
}

describe("realmchat in a real terminal", () => {
  it("prints chat above the status line and the line being typed; a private message waits, counted, in its own window", async () => {
    server = await startCliTestRealm();
    const port = server.listener.port;
    const term = realmchat(port, "colours");
    await term.shows("guest@127.0.0.1");
    term.type("/login messi surabaya");
    await term.shows("messi@realm1>");
    term.type("/join batak");
    await term.shows("messi@realm1 #batak>");
    term.type("half a thought", false);
    const henderson = await LiveClient.connect({ host: "127.0.0.1", port });
    await henderson.auth("henderson", "surabaya");
    await henderson.send("messi", "psst, a private one");
    await henderson.join("batak");
    await henderson.say("batak", "halo messi!");
    await term.shows(/#batak henderson: halo messi!/);
    const screen = await term.shows(/act: 3:@henderson\(1!\)/);
    const lines = screen.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("messi@realm1 #batak> half a thought");
    expect(lines.at(-2)).toMatch(/^\[\d\d:\d\d\] \[messi\] \[2:#batak\] act: 3:@henderson\(1!\)$/);
    expect(screen).toMatch(/\[\d\d:\d\d\] #batak henderson: halo messi!/);
    expect(screen).toMatch(/\[\d\d:\d\d\] #batak henderson joined/);
    // Joining showed the own "joined" once, and nothing was glued to a prompt.
    expect(screen.match(/#batak messi joined/g)).toHaveLength(1);
    expect(screen).not.toMatch(/> \[\d\d:\d\d\]/);
    expect(screen).not.toContain("psst");
    expect(term.screen(true)).toContain("\u001b[");
    // Alt-3 shows the conversation; what is being typed stays.
    term.key("M-3");
    const query = await term.shows("psst, a private one");
    expect(query).toMatch(/\[\d\d:\d\d\] Jordan Henderson \(henderson\): psst, a private one/);
    expect(query.trimEnd().split("\n").at(-1)).toBe("messi@realm1 @henderson> half a thought");
    term.key("C-u");
    term.type("thanks, got it");
    await term.shows(/\[\d\d:\d\d\] messi: thanks, got it/);
    await henderson.close();
  }, 30_000);

  it("windows: /query, /win, Tab completion of commands and names, /me, mentions marked", async () => {
    server = await startCliTestRealm();
    const port = server.listener.port;
    const term = realmchat(port, "windows", { NO_COLOR: "1" });
    await term.shows("guest@127.0.0.1");
    term.type("/login messi surabaya");
    await term.shows("messi@realm1>");
    term.type("/jo", false);
    term.key("Tab");
    await term.shows("messi@realm1> /join");
    term.type(" jazz batak");
    await term.shows("messi@realm1 #batak>");
    const henderson = await LiveClient.connect({ host: "127.0.0.1", port });
    await henderson.auth("henderson", "surabaya");
    await henderson.join("jazz");
    await henderson.say("jazz", "messi, are you there?");
    // Only what people say counts as unread; someone joining does not.
    await term.shows(/act: 2:#jazz\(1!\)/);
    term.type("/win 2");
    await term.shows("#jazz henderson: messi, are you there?");
    term.type("/me waves");
    await term.shows("#jazz * messi waves");
    term.type("/query hend", false);
    term.key("Tab");
    await term.shows("/query henderson");
    term.type("");
    await term.shows("messi@realm1 @henderson>");
    term.type("/win 9");
    await term.shows("error: usage: /win <n>, n from 1 to 4");
    await henderson.close();
  }, 30_000);

  it("respects NO_COLOR; asks for the password with echo off; passwords are neither on screen nor in the Up-arrow history", async () => {
    server = await startCliTestRealm();
    const term = realmchat(server.listener.port, "plain", { NO_COLOR: "1" });
    await term.shows("guest@127.0.0.1");
    term.type("/login messi");
    await term.shows("password for messi:");
    term.type("wrongpass");
    await term.shows("error: invalid username or password");
    expect(term.screen()).not.toContain("wrongpass");
    expect(term.screen(true)).not.toMatch(/\u001b\[(1|2|3\d)m/);
    // A password typed on the command line leaves the screen once Enter is pressed.
    term.type("/login messi secretpw");
    await term.shows(/invalid username or password[\s\S]*invalid username or password/);
    expect(term.screen()).not.toContain("secretpw");
    term.type("/groups");
    await term.shows("error: not logged in");
    term.key("Up");
    term.key("Up");
    await term.shows(/guest@127\.0\.0\.1:\d+> \/login messi$/m);
    expect(term.screen()).not.toContain("wrongpass");
  }, 30_000);

  it("reconnects with backoff when the server restarts, and resumes the session and its groups", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "cli-term-"));
    server = await startCliTestRealm({ dataDir });
    const port = server.listener.port;
    const term = realmchat(port, "reconnect");
    await term.shows("guest@127.0.0.1");
    term.type("/login messi surabaya");
    await term.shows("messi@realm1>");
    term.type("/join batak");
    await term.shows("messi@realm1 #batak>");
    await server.close();
    await term.shows("connection lost; reconnecting...");
    server = await startCliTestRealm({ dataDir, port });
    await term.shows("reconnected as messi, back in #batak");
    const henderson = await LiveClient.connect({ host: "127.0.0.1", port });
    await henderson.auth("henderson", "surabaya");
    await henderson.join("batak");
    await henderson.say("batak", "welcome back");
    await term.shows("henderson: welcome back");
    await henderson.close();
  }, 30_000);

  it("says clearly when the session did not survive a restart, and a new login works", async () => {
    server = await startCliTestRealm();
    const port = server.listener.port;
    const term = realmchat(port, "expired");
    await term.shows("guest@127.0.0.1");
    term.type("/login messi surabaya");
    await term.shows("messi@realm1>");
    // An in-memory realm forgets its sessions when it stops.
    await server.close();
    server = await startCliTestRealm({ port });
    await term.shows("reconnected, but the session has expired: /login again");
    term.type("/login messi surabaya");
    await term.shows(/logged in as messi@realm1[\s\S]*logged in as messi@realm1/);
  }, 30_000);
});
