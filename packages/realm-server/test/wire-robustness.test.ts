import { afterEach, describe, expect, it, vi } from "vitest";
import { startTestRealm } from "./test-realm.ts";

type TestRealm = Awaited<ReturnType<typeof startTestRealm>>;
let realm: TestRealm;

afterEach(async () => {
  await realm?.close();
});

describe("framing and abuse over TCP", () => {
  it("answers pipelined requests in order", async () => {
    realm = await startTestRealm();
    const c = await realm.connect();
    const t = await c.auth("messi", "surabaya");
    let burst = "";
    for (let i = 0; i < 100; i++) burst += `send ${t} henderson msg ${i}\r\n`;
    burst += "bogus\r\n";
    c.write(burst);
    const ids = new Set<unknown>();
    for (let i = 0; i < 100; i++) {
      const reply = await c.reply();
      expect(reply.status).toBe("OK");
      ids.add(reply.id);
    }
    expect(ids.size).toBe(100);
    expect(await c.reply()).toMatchObject({ code: "UNKNOWN_COMMAND" });
    const h = await realm.connect();
    const th = await h.auth("henderson", "surabaya");
    const inbox = await h.request(`inbox ${th}\r\n`);
    const texts = (inbox.messages as Record<string, Array<{ msg: string }>>).messi?.map((m) => m.msg);
    expect(texts).toEqual(Array.from({ length: 100 }, (_, i) => `msg ${i}`));
  });

  it("accepts a request written one byte at a time, with \\n alone", async () => {
    realm = await startTestRealm();
    const c = await realm.connect();
    const bytes = Buffer.from("auth messi surabaya   \n");
    for (const b of bytes) {
      c.write(Uint8Array.of(b));
      await new Promise((r) => setImmediate(r));
    }
    expect(await c.reply()).toMatchObject({ status: "OK" });
  });

  it("cuts off a client that sends 2 MiB without a newline; others are unaffected", async () => {
    realm = await startTestRealm();
    const bystander = await realm.connect();
    const t = await bystander.auth("henderson", "surabaya");
    const abuser = await realm.connect();
    const junk = Buffer.alloc(2 * 1024 * 1024, 0x41);
    abuser.write(junk);
    const reply = await abuser.reply();
    expect(reply).toMatchObject({ status: "ERROR", code: "FRAME_TOO_LARGE" });
    await abuser.waitClosed();
    expect(await bystander.request(`inbox ${t}\r\n`)).toMatchObject({ status: "OK" });
    await vi.waitFor(() => expect(realm.realm.connectionCount).toBe(1));
  });

  it("answers invalid UTF-8 with an ERROR and goes on serving the connection", async () => {
    realm = await startTestRealm();
    const c = await realm.connect();
    c.write(Buffer.from([0x61, 0x75, 0x74, 0x68, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0d, 0x0a]));
    expect(await c.reply()).toMatchObject({ status: "ERROR", code: "INVALID_UTF8" });
    expect(await c.request("auth messi surabaya\r\n")).toMatchObject({ status: "OK" });
  });

  it("ignores blank lines and tolerates stray spaces around words", async () => {
    realm = await startTestRealm();
    const c = await realm.connect();
    c.write("\r\n\r\n   \r\n");
    expect(await c.request("   auth   messi   surabaya   \r\n")).toMatchObject({ status: "OK" });
  });

  it("keeps serving others while one client stops reading", async () => {
    realm = await startTestRealm({ limits: { maxOutboundBytes: 256 * 1024 } });
    const slow = await realm.connect();
    const t = await slow.auth("messi", "surabaya");
    slow.socket.pause();
    const flood = `inbox ${t}\r\n`.repeat(20_000);
    slow.write(flood);
    const other = await realm.connect();
    expect(await other.request("auth henderson surabaya\r\n")).toMatchObject({ status: "OK" });
  });
});
