import { silentLogger } from "@realmchat/node-runtime";
import type { FederationFrame, FrameOf } from "@realmchat/protocol";
import { describe, expect, it } from "vitest";
import { temporarySqliteStore } from "../../test/support/temporary-store.ts";
import type { OutboxEntry } from "../store/realm-store.ts";
import { RecordingBridge } from "../../test/service-realm.ts";
import { BridgeLinkPort, type BridgeLink, type FederationPort } from "./federation-port.ts";
import { OutboundPrivateRelay } from "./outbound-private-relay.ts";

/** What `relay` answers about `entry`, as a promise. */
function answerOf(relay: OutboundPrivateRelay, entry: OutboxEntry): Promise<{ queued: boolean }> {
  return new Promise((resolve, reject) => relay.sendPrivate(entry, { sent: (_id, queued) => resolve({ queued }), failed: reject }));
}

/** The port of the instance holding the bridge link among several; it records what reaches the bridge. */
class HolderPort implements FederationPort {
  readonly shared = true;
  readonly holdsLink = true;
  readonly linked = true;
  readonly sent: FederationFrame[] = [];
  share(): void {}
  shareMove(): void {}
  nudgeOutbox(): void {}
  send(frame: FederationFrame): boolean {
    this.sent.push(frame);
    return true;
  }
  isPeerUp(): boolean {
    return true;
  }
  peersUp(): readonly string[] {
    return ["realm2"];
  }
  setPeerUp(): boolean {
    return false;
  }
  attach(_link: BridgeLink): BridgeLink | undefined {
    return undefined;
  }
  detach(): boolean {
    return false;
  }
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe("OutboundPrivateRelay with several instances", () => {
  it("the link's holder sends the shared outbox a page at a time, oldest first, reading further as answers come", async () => {
    const store = temporarySqliteStore();
    // Queued by other instances while no one held the link.
    for (let i = 0; i < 25; i++)
      await store.outbox.add({ id: `m${i}`, from: "messi", fromName: "Messi", to: "realm2", user: "james", text: `t${i}`, sentAt: i });
    const port = new HolderPort();
    const relay = new OutboundPrivateRelay({
      realm: "realm1",
      outbox: store.outbox,
      port,
      presence: { delivered: () => undefined },
      logger: silentLogger,
      sharedReadPage: 10,
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

describe("OutboundPrivateRelay in one process", () => {
  const message = (id: string) => ({ id, from: "messi", fromName: "Messi", to: "realm2", user: "james", text: id, sentAt: 1 });

  function linkedRelay(answerWithinMs = 60_000) {
    const store = temporarySqliteStore();
    const port = new BridgeLinkPort();
    const bridge = new RecordingBridge();
    port.attach(bridge);
    port.setPeerUp("realm2", true);
    const relay = new OutboundPrivateRelay({
      realm: "realm1",
      outbox: store.outbox,
      port,
      presence: { delivered: () => undefined },
      logger: silentLogger,
      answerWithinMs,
    });
    const sentIds = (): string[] => bridge.frames.flatMap((f) => (f.t === "batch" ? f.items.map((i) => i.id) : []));
    return { store, port, relay, sentIds };
  }

  it("holds a message the other realm can answer in memory, writes nothing, and answers with that realm's answer", async () => {
    const { store, relay, sentIds } = linkedRelay();
    let answer: { queued: boolean } | undefined;
    const answered = answerOf(relay, message("a")).then((a) => (answer = a));
    await settle();
    expect(sentIds()).toEqual(["a"]);
    expect(await store.outbox.list()).toEqual([]);
    expect(answer).toBeUndefined();
    relay.onAck({ t: "ack", id: "a", origin: "realm1", status: "stored" });
    await answered;
    expect(answer).toEqual({ queued: false });
    expect(await store.outbox.list()).toEqual([]);
    relay.close();
  });

  it("tells a sender 'queued' only once its message is committed: when the answer is late, or the bridge link drops", async () => {
    const { store, relay, sentIds } = linkedRelay(30);
    const late = answerOf(relay, message("late"));
    await expect(late).resolves.toEqual({ queued: true });
    expect((await store.outbox.list()).map((e) => e.id)).toEqual(["late"]);
    // Its answer still comes, and clears the entry.
    relay.onAck({ t: "ack", id: "late", origin: "realm1", status: "stored" });
    await settle();
    expect(await store.outbox.list()).toEqual([]);
    relay.close();

    const second = linkedRelay();
    const dropped = answerOf(second.relay, message("dropped"));
    await settle();
    expect(second.sentIds()).toEqual(["dropped"]);
    expect(await second.store.outbox.list()).toEqual([]);
    second.relay.linkLost();
    await expect(dropped).resolves.toEqual({ queued: true });
    expect((await second.store.outbox.list()).map((e) => e.id)).toEqual(["dropped"]);
    second.relay.close();
    expect(sentIds()).toEqual(["late"]);
  });
});
