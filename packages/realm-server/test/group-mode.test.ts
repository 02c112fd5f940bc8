import { afterEach, describe, expect, it } from "vitest";
import { startTestRealm } from "./test-realm.ts";
import type { WireClient } from "./wire-client.ts";

type TestRealm = Awaited<ReturnType<typeof startTestRealm>>;
let realm: TestRealm;

afterEach(async () => {
  await realm?.close();
});

/** Resolves with the next `data` chunk that arrives on the socket, as one `recv` would see it. */
function nextChunk(client: WireClient): Promise<string> {
  return new Promise((resolve) => client.socket.once("data", (chunk: Buffer | string) => resolve(chunk.toString())));
}

async function joined(client: WireClient, user: string, group: string): Promise<string> {
  const token = await client.auth(user, "surabaya");
  client.write(`group ${token} ${group} origin \r\n`);
  expect(await client.line()).toBe(`${user} joined`);
  return token;
}

describe("classic group mode", () => {
  it("works with the seed client's byte patterns: unterminated chat, bare exit, separate JSON reply", async () => {
    realm = await startTestRealm();
    const messi = await realm.connect();
    const henderson = await realm.connect();
    await joined(messi, "messi", "batak");
    const th = await joined(henderson, "henderson", "batak");
    expect(await messi.line()).toBe("henderson joined");

    messi.write("halo  gaes, server check group");
    expect(await messi.line()).toBe("messi: halo  gaes, server check group");
    expect(await henderson.line()).toBe("messi: halo  gaes, server check group");

    // The seed's reader stops only on a read that is exactly "exit".
    const chunk = nextChunk(henderson);
    henderson.write("exit");
    expect(await chunk).toBe("exit");
    await henderson.expectExactly("exit");
    expect(await henderson.reply()).toMatchObject({ status: "OK" });
    expect(await messi.line()).toBe("henderson left");

    // Back in command mode.
    expect(await henderson.request(`inbox ${th}\r\n`)).toMatchObject({ status: "OK" });
  });

  it("flushes earlier lines before the exit marker so the marker still travels alone", async () => {
    realm = await startTestRealm();
    const a = await realm.connect();
    const b = await realm.connect();
    await joined(a, "messi", "g");
    await joined(b, "henderson", "g");
    await a.line();
    b.write("one\ntwo\nexit\n");
    expect(await b.line()).toBe("henderson: one");
    expect(await b.line()).toBe("henderson: two");
    await b.expectExactly("exit");
    expect(await b.reply()).toMatchObject({ status: "OK" });
    expect([await a.line(), await a.line(), await a.line()]).toEqual(["henderson: one", "henderson: two", "henderson left"]);
  });

  it("keeps groups apart and serves several at once", async () => {
    realm = await startTestRealm({ extraUsers: ["x1", "x2"] });
    const [a1, a2, b1, b2] = [await realm.connect(), await realm.connect(), await realm.connect(), await realm.connect()];
    await joined(a1, "messi", "alpha");
    await joined(a2, "henderson", "alpha");
    await joined(b1, "x1", "beta");
    await joined(b2, "x2", "beta");
    expect(await a1.line()).toBe("henderson joined");
    expect(await b1.line()).toBe("x2 joined");
    a1.write("in alpha\n");
    b1.write("in beta\n");
    expect(await a2.line()).toBe("messi: in alpha");
    expect(await b2.line()).toBe("x1: in beta");
    expect(await a1.line()).toBe("messi: in alpha");
    expect(await b1.line()).toBe("x1: in beta");
    await new Promise((r) => setTimeout(r, 50));
    expect([a1.pending, a2.pending, b1.pending, b2.pending]).toEqual(["", "", "", ""]);
  });

  it("tells the others when a member disconnects without exit: it quit (exit says left)", async () => {
    realm = await startTestRealm();
    const a = await realm.connect();
    const b = await realm.connect();
    await joined(a, "messi", "g");
    await joined(b, "henderson", "g");
    await a.line();
    b.close();
    expect(await a.line()).toBe("henderson quit");
    expect((await realm.realm.services.groups.who({ name: "g", home: "realm1" }, "messi")).online).toEqual(["messi"]);
  });

  it("treats chat pipelined right after the group request as chat", async () => {
    realm = await startTestRealm();
    const a = await realm.connect();
    const t = await a.auth("messi", "surabaya");
    a.write(`group ${t} g origin\r\nhello there`);
    expect(await a.line()).toBe("messi joined");
    expect(await a.line()).toBe("messi: hello there");
  });

  it("a failed group request leaves the connection in command mode", async () => {
    realm = await startTestRealm();
    const a = await realm.connect();
    expect(await a.request("group bad-token g origin\r\n")).toMatchObject({ status: "ERROR", code: "SESSION_NOT_FOUND" });
    expect(await a.request("auth messi surabaya\r\n")).toMatchObject({ status: "OK" });
  });

  it("a member can rejoin after exit, and a group outlives its members", async () => {
    realm = await startTestRealm();
    const a = await realm.connect();
    await joined(a, "messi", "g");
    a.write("exit");
    await a.expectExactly("exit");
    await a.reply();
    expect(await realm.store.groups.get("g")).toMatchObject({ name: "g", createdBy: "messi" });
    const t = await a.auth("messi", "surabaya");
    a.write(`group ${t} g\r\n`);
    expect(await a.line()).toBe("messi joined");
  });
});
