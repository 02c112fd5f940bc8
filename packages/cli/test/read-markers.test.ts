import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { LiveEvent } from "@realmchat/protocol";
import type { RunningRealmServer } from "@realmchat/realm-server";
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

async function until<T>(what: string, check: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = check();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never: ${what}`);
}

describe("read markers in the terminal client", () => {
  it("counts unread lines from the realm's marker, clears them when read on another client, and marks what it shows as read", async () => {
    const address = { host: "127.0.0.1", port: server.listener.port };
    const henderson = await LiveClient.connect(address);
    await henderson.auth("henderson", "surabaya");
    await henderson.join("markers");
    await henderson.say("markers", "read before");
    // Messi read the group up to here on another client: the terminal does not count it.
    const events: LiveEvent[] = [];
    const other = await LiveClient.connect(address, (e) => events.push(e));
    await other.auth("messi", "surabaya");
    const upTo = Date.now();
    await other.request("read", { conversation: "#markers", ts: upTo });
    await new Promise((r) => setTimeout(r, 20));

    const child = spawn(process.execPath, ["--conditions=@realmchat/source", BIN, "--server", `127.0.0.1:${address.port}`], {
      stdio: "pipe",
      env: { PATH: process.env.PATH },
    });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    const exited = new Promise<number | null>((r) => child.on("close", r));
    const screenShows = (text: string): Promise<true> => until(text, () => (stdout.includes(text) ? true : undefined));
    child.stdin.write("/login messi\nsurabaya\n/join markers\n/win 1\n");
    await screenShows("in #markers");
    // Seen as the join showed it: marked read up to henderson's line.
    const shown = await until("a read event", () => events.find((e) => e.ev === "read" && e.ts > upTo));
    expect(shown).toMatchObject({ conversation: "#markers" });
    await henderson.say("markers", "one");
    await henderson.say("markers", "two");
    await screenShows("henderson: two");
    child.stdin.write("/windows\n");
    await screenShows("2:#markers(2)");
    // Read in the browser (the other connection): the terminal's count goes.
    await other.request("read", { conversation: "#markers", ts: Date.now() });
    await new Promise((r) => setTimeout(r, 100));
    stdout = "";
    child.stdin.write("/windows\n");
    await screenShows("1:status 2:#markers");
    expect(stdout).not.toContain("#markers(");
    child.stdin.end("/quit\n");
    expect(await exited).toBe(0);
    await other.close();
    await henderson.close();
  }, 30_000);
});
