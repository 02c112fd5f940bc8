import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { appendToInbox } from "../src/store/realm-store.ts";
import { startTestRealm } from "./test-realm.ts";

/** Rate limits out of the way: these tests are about buffers, not rates. */
const UNLIMITED = {
  requestsPerSecond: 1e9,
  requestBurst: 1e9,
  userRequestsPerSecond: 1e9,
  userRequestBurst: 1e9,
  groupMessagesPerSecond: 1e9,
  groupMessageBurst: 1e9,
  groupCharsPerSecond: 1e9,
  groupCharBurst: 1e9,
};

let realm: Awaited<ReturnType<typeof startTestRealm>> | undefined;
afterEach(async () => {
  await realm?.close();
  realm = undefined;
});

/** A raw client that counts classic replies as they stream in, reading only while `reading` is on. */
function countingClient(
  port: number,
): Promise<{ write(text: string): void; pause(): void; resume(): void; replies(): number; bodies: string[]; closed: Promise<void> }> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let tail = "";
    let count = 0;
    const bodies: string[] = [];
    const closed = new Promise<void>((done) => socket.on("close", () => done()));
    socket.setEncoding("latin1");
    socket.on("data", (text: string) => {
      const parts = (tail + text).split("\r\n\r\n");
      tail = parts.pop() as string;
      count += parts.length;
      if (bodies.length < 50) bodies.push(...parts.slice(0, 50 - bodies.length));
    });
    socket.on("error", () => undefined);
    socket.on("connect", () =>
      resolve({
        write: (t) => socket.write(t),
        pause: () => socket.pause(),
        resume: () => socket.resume(),
        replies: () => count,
        bodies,
        closed,
      }),
    );
  });
}

async function until(check: () => boolean, ms: number, what = "condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("flow control", () => {
  it("a classic inbox far larger than one reply comes in pages, and nothing is lost or repeated", async () => {
    realm = await startTestRealm();
    const text = "x".repeat(900);
    // 12,000 messages of 900 characters: about 13 MB of replies, beyond any one write's limit.
    const appended: Array<Promise<unknown>> = [];
    for (let i = 0; i < 12_000; i++) {
      appended.push(
        appendToInbox(realm.store.inboxes, {
          id: `m${i}`,
          from: "messi",
          fromName: "Lionel Messi",
          to: "henderson",
          toName: "Jordan Henderson",
          text: `${i} ${text}`,
          sentAt: i,
        }),
      );
    }
    await Promise.all(appended);
    const client = await realm.connect();
    const token = await client.auth("henderson", "surabaya");
    const seen: number[] = [];
    let pages = 0;
    for (;;) {
      const reply = await client.request(`inbox ${token}\r\n`);
      pages++;
      const messages = (reply.messages as Record<string, Array<{ msg: string }>>).messi ?? [];
      for (const m of messages) seen.push(Number(m.msg.split(" ")[0]));
      if (reply.more !== true) break;
    }
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual(Array.from({ length: 12_000 }, (_, i) => i));
    expect(await realm.store.inboxes.peek("henderson", 1)).toEqual([]);
  });

  it("an inbox page its client never reads stays in the inbox, and the client is let go after the slow-reader time", async () => {
    realm = await startTestRealm({ limits: { inboxPageMessages: 20_000, inboxPageChars: 16 * 1024 * 1024, slowReaderTimeoutMs: 1000 } });
    const text = "z".repeat(900);
    const appended: Array<Promise<unknown>> = [];
    for (let i = 0; i < 10_000; i++)
      appended.push(
        appendToInbox(realm.store.inboxes, { id: `m${i}`, from: "messi", fromName: "M", to: "henderson", toName: "H", text, sentAt: i }),
      );
    await Promise.all(appended);
    const client = await realm.connect();
    const token = await client.auth("henderson", "surabaya");
    client.socket.pause();
    // One reply of about 9 MB, far more than the kernel's buffers take from a client that reads nothing.
    client.write(`inbox ${token}\r\n`);
    const server = realm;
    // The client reads nothing, so it is the server's side that must let go.
    await until(() => server.realm.connectionCount === 0, 15_000, "the server to close the connection");
    expect(await realm.store.inboxes.count("henderson")).toBe(10_000);
  });

  it("a client pipelining 100,000 requests while reading slowly gets every reply and is never cut off", async () => {
    realm = await startTestRealm({ limits: UNLIMITED });
    const client = await countingClient(realm.listener.port);
    client.pause();
    client.write("bogus\r\n".repeat(100_000));
    // Not reading for two seconds: the server must wait, not pile up megabytes or hang up.
    await new Promise((r) => setTimeout(r, 2000));
    client.resume();
    await until(() => client.replies() === 100_000, 60_000).catch((e) => {
      throw new Error(`${e.message} at ${client.replies()}`);
    });
    expect(client.bodies[0]).toContain('"code": "UNKNOWN_COMMAND"');
  }, 90_000);
});

describe("a group member that stops reading", () => {
  it("is dropped from the group with a notice; memory stays bounded and the others keep talking", async () => {
    realm = await startTestRealm({ limits: { ...UNLIMITED, outputHighWaterBytes: 64 * 1024, maxOutboundBytes: 256 * 1024 } });
    const slow = await realm.connect();
    const talker = await realm.connect();
    const slowToken = await slow.auth("messi", "surabaya");
    slow.write(`group ${slowToken} g origin \r\n`);
    expect(await slow.line()).toBe("messi joined");
    const talkerToken = await talker.auth("henderson", "surabaya");
    talker.write(`group ${talkerToken} g origin \r\n`);
    expect(await talker.line()).toBe("henderson joined");
    slow.socket.pause();
    const line = "y".repeat(500);
    // About 20 MB of chat for a member that reads none of it: more than the kernel's buffers hold.
    for (let i = 0; i < 40_000; i++) talker.write(`${i} ${line}\n`);
    await until(() => talker.pending.includes("messi left"), 30_000, "the others to see messi leave");
    slow.socket.resume();
    await until(() => slow.pending.includes("you were not reading fast enough and left g"), 30_000, "messi's notice");
    talker.write("still here\n");
    await until(() => talker.pending.includes("henderson: still here"), 10_000, "chat to go on");
    slow.write("hello?\n");
    await until(() => slow.pending.includes("* not delivered: you are no longer in g"), 10_000, "messi's lines to be refused");
  }, 60_000);
});
