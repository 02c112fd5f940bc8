import { silentLogger } from "@realmchat/node-runtime";
import type { FederationFrame, FrameOf } from "@realmchat/protocol";
import { describe, expect, it } from "vitest";
import { temporarySqliteStore } from "../../test/support/temporary-store.ts";
import { SharedOutboxRelay, type SharedLinkPort } from "./shared-outbox-relay.ts";

/** The port of the instance holding the bridge link among several; it records what reaches the bridge. */
class HolderPort implements SharedLinkPort {
  readonly holdsLink = true;
  readonly linked = true;
  readonly sent: FederationFrame[] = [];
  nudgeOutbox(): void {}
  send(frame: FederationFrame): boolean {
    this.sent.push(frame);
    return true;
  }
  isPeerUp(): boolean {
    return true;
  }
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe("SharedOutboxRelay", () => {
  it("the link's holder sends the shared outbox a page at a time, oldest first, reading further as answers come", async () => {
    const store = temporarySqliteStore();
    // Queued by other instances while no one held the link.
    for (let i = 0; i < 25; i++)
      await store.outbox.add({ id: `m${i}`, from: "messi", fromName: "Messi", to: "realm2", user: "james", text: `t${i}`, sentAt: i });
    const port = new HolderPort();
    const relay = new SharedOutboxRelay({
      realm: "realm1",
      outbox: store.outbox,
      port,
      presence: { delivered: () => undefined },
      logger: silentLogger,
      page: 10,
    });
    relay.flush();
    await settle();
    const ids = (): string[] => port.sent.flatMap((f) => (f as FrameOf<"batch">).items.map((item) => item.id));
    expect(ids()).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    // Answers for the first six: fewer than half a page is left in flight, so it reads on.
    for (let i = 0; i < 6; i++) relay.onAck({ t: "ack", origin: "realm2", id: `m${i}`, status: "stored" });
    await settle();
    expect(ids().length).toBeGreaterThan(10);
    expect(ids()).toEqual(Array.from({ length: ids().length }, (_, i) => `m${i}`));
    // Answer whatever has gone out, until everything has.
    let answered = 6;
    for (let round = 0; round < 10 && answered < 25; round++) {
      for (; answered < ids().length; answered++) relay.onAck({ t: "ack", origin: "realm2", id: `m${answered}`, status: "stored" });
      await settle();
    }
    // Each once, in order, and the outbox is empty.
    expect(ids()).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`));
    expect(await store.outbox.list()).toEqual([]);
    relay.close();
  });
});
