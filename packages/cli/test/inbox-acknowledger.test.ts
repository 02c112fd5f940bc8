import type { RunningRealmServer } from "@realmchat/realm-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InboxAcknowledger } from "../src/inbox-acknowledger.ts";
import { LiveClient } from "../src/live-client.ts";
import { startCliTestRealm } from "./test-server.ts";

let server: RunningRealmServer;
beforeAll(async () => {
  server = await startCliTestRealm();
});
afterAll(async () => {
  await server.close();
});

describe("InboxAcknowledger", () => {
  it("acknowledges a burst of messages received in one turn with one ack, up to the last; an id seen before is not new", async () => {
    const address = { host: "127.0.0.1", port: server.listener.port };
    const henderson = await LiveClient.connect(address);
    await henderson.auth("henderson", "surabaya");
    const shown: string[] = [];
    const messi = await LiveClient.connect(address, (e) => {
      if (e.ev === "message") shown.push(e.msgId);
    });
    await messi.auth("messi", "surabaya");
    await Promise.all(["one", "two", "three", "four"].map((text) => henderson.send("messi", text)));
    for (let i = 0; i < 100 && shown.length < 4; i++) await new Promise((r) => setTimeout(r, 20));
    const acks: string[] = [];
    const ack = messi.ack.bind(messi);
    messi.ack = (upTo: string) => {
      acks.push(upTo);
      return ack(upTo);
    };
    const failures: unknown[] = [];
    const acknowledger = new InboxAcknowledger(
      () => messi,
      (err) => failures.push(err),
    );
    expect(shown.map((id) => acknowledger.received(id))).toEqual([true, true, true, true]);
    await new Promise((r) => setImmediate(r));
    expect(acks).toEqual([shown.at(-1)]);
    // The same id again (handed over after a lost link): acknowledged, not to be shown twice.
    expect(acknowledger.received(shown[0] as string)).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect(acks).toEqual([shown.at(-1), shown[0]]);
    for (let i = 0; i < 100 && (await messi.inbox()).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await messi.inbox()).toEqual([]);
    expect(failures).toEqual([]);
    await messi.close();
    await henderson.close();
  });
});
