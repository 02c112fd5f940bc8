import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { LiveWire } from "./live-client.ts";
import { startTestRealm } from "./test-realm.ts";
import { WireClient } from "./wire-client.ts";

let realm: Awaited<ReturnType<typeof startTestRealm>> | undefined;
afterEach(async () => {
  await realm?.close();
  realm = undefined;
});

describe("limits", () => {
  it("slows a client over its request rate instead of refusing it; another client is served at once", async () => {
    realm = await startTestRealm({ limits: { requestsPerSecond: 50, requestBurst: 10 } });
    const flooder = await realm.connect();
    const token = await flooder.auth("messi", "surabaya");
    const started = Date.now();
    flooder.write(`send ${token} henderson flood\r\n`.repeat(60));
    const other = await realm.connect();
    const otherStarted = Date.now();
    expect(await other.request("auth lineker surabaya\r\n")).toMatchObject({ status: "OK" });
    expect(Date.now() - otherStarted).toBeLessThan(1000);
    for (let i = 0; i < 60; i++) expect(await flooder.reply()).toMatchObject({ status: "OK", message: "Message Sent" });
    // 10 at once, then 50 more at 50 a second: about a second, and every one answered.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("refuses a message to a full inbox with INBOX_FULL and drops nothing silently", async () => {
    realm = await startTestRealm({ limits: { maxInboxMessages: 3 } });
    const c = await realm.connect();
    const token = await c.auth("messi", "surabaya");
    for (let i = 0; i < 3; i++) expect(await c.request(`send ${token} henderson m${i}\r\n`)).toMatchObject({ status: "OK" });
    expect(await c.request(`send ${token} henderson one too many\r\n`)).toMatchObject({ status: "ERROR", code: "INBOX_FULL" });
    const h = await realm.connect();
    const ht = await h.auth("henderson", "surabaya");
    expect(Object.values((await h.request(`inbox ${ht}\r\n`)).messages as object).flat()).toHaveLength(3);
    expect(await c.request(`send ${token} henderson room again\r\n`)).toMatchObject({ status: "OK" });
  });

  it("refuses connections over the per-address limit with a clear error; those already open are served", async () => {
    realm = await startTestRealm({ limits: { maxConnectionsPerAddress: 3 } });
    const open = [await realm.connect(), await realm.connect(), await realm.connect()];
    const refused = await realm.connect();
    expect(await refused.reply()).toMatchObject({ status: "ERROR", code: "TOO_MANY_CONNECTIONS" });
    await refused.waitClosed();
    expect(await open[0]!.request("auth messi surabaya\r\n")).toMatchObject({ status: "OK" });
    open[2]!.close();
    await new Promise((r) => setTimeout(r, 100));
    const later = await realm.connect();
    expect(await later.request("auth henderson surabaya\r\n")).toMatchObject({ status: "OK" });
  });

  it("closes a connection that leaves a line unfinished (slowloris) and one that never logs in", async () => {
    realm = await startTestRealm({ limits: { partialLineTimeoutMs: 1500, unauthenticatedTimeoutMs: 3000 } });
    const slowloris = await realm.connect();
    slowloris.write("au");
    const idle = await realm.connect();
    const honest = await realm.connect();
    const token = await honest.auth("messi", "surabaya");
    const dripping = setInterval(() => slowloris.write("t"), 500);
    try {
      expect(await slowloris.reply()).toMatchObject({ status: "ERROR", code: "TIMEOUT" });
      await slowloris.waitClosed();
      expect(await idle.reply()).toMatchObject({ status: "ERROR", code: "TIMEOUT" });
      await idle.waitClosed();
    } finally {
      clearInterval(dripping);
    }
    expect(await honest.request(`inbox ${token}\r\n`)).toMatchObject({ status: "OK" });
  });

  it("never cuts a client that streams whole lines for longer than the partial-line limit, each write ending mid-line", async () => {
    realm = await startTestRealm({ limits: { partialLineTimeoutMs: 1000 } });
    const classic = await realm.connect();
    const token = await classic.auth("messi", "surabaya");
    const live = await LiveWire.connect(realm.listener.port);
    await live.ok("auth", { user: "lineker", password: "surabaya" });
    // Every write ends inside a line, so at every sweep a line is unfinished, yet lines keep coming:
    // a pipelining client, not a slowloris.
    const classicLine = `send ${token} henderson streaming\r\n`;
    const liveLine = (id: number): string => `${JSON.stringify({ id, op: "send", to: "henderson", text: "streaming" })}\n`;
    let classicCarry = "";
    let liveCarry = "";
    let classicSent = 0;
    let liveSent = 0;
    const until = Date.now() + 3500;
    while (Date.now() < until) {
      const classicChunk = classicCarry + classicLine.repeat(4);
      classicSent += 4;
      classicCarry = classicLine.slice(7);
      classic.write(classicChunk + classicLine.slice(0, 7));
      let liveChunk = liveCarry;
      for (let i = 0; i < 4; i++) liveChunk += liveLine(1000 + liveSent++);
      const next = liveLine(1000 + liveSent++);
      liveCarry = next.slice(9);
      live.writeRaw(liveChunk + next.slice(0, 9));
      await new Promise((r) => setTimeout(r, 20));
    }
    classic.write(classicCarry);
    classicSent++;
    live.writeRaw(liveCarry);
    for (let i = 0; i < classicSent; i++) expect(await classic.reply()).toMatchObject({ status: "OK", message: "Message Sent" });
    for (let id = 1000; id < 1000 + liveSent; id++) expect(await live.reply(id)).toMatchObject({ ok: true });
    expect(classic.closed).toBe(false);
    live.close();
  });

  it("spaces out password guesses for a user and refuses an address that keeps guessing; the right password still works", async () => {
    realm = await startTestRealm({
      limits: { loginFreeFailures: 2, loginMaxDelayMs: 300, loginAddressFailures: 6, loginAddressBlockMs: 60_000 },
    });
    const guesser = await realm.connect();
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) codes.push(String((await guesser.request(`auth messi wrong${i}\r\n`)).code));
    expect(codes.slice(0, 6)).toEqual(Array(6).fill("AUTH_FAILED"));
    expect(codes.slice(6)).toEqual(["LOGIN_THROTTLED", "LOGIN_THROTTLED"]);
    // The user is not locked out: from another address the right password works within seconds.
    const other = await new Promise<WireClient>((resolve, reject) => {
      const socket = connect({ port: realm!.listener.port, host: "127.0.0.1", localAddress: "127.0.0.2" });
      socket.once("error", reject);
      socket.once("connect", () => resolve(WireClient.wrap(socket)));
    });
    expect(await other.request("auth messi surabaya\r\n")).toMatchObject({ status: "OK" });
    other.close();
  });
});
