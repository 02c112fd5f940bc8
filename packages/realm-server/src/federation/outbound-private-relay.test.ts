import { silentLogger } from "@realmchat/node-runtime";
import { describe, expect, it } from "vitest";
import { temporarySqliteStore } from "../../test/support/temporary-store.ts";
import type { OutboxEntry } from "../store/realm-store.ts";
import { RecordingBridge } from "../../test/service-realm.ts";
import { BridgeLinkPort } from "./federation-port.ts";
import { OutboundPrivateRelay } from "./outbound-private-relay.ts";

/** What `relay` answers about `entry`, as a promise. */
function answerOf(relay: OutboundPrivateRelay, entry: OutboxEntry): Promise<{ queued: boolean }> {
  return new Promise((resolve, reject) => relay.sendPrivate(entry, { sent: (_id, queued) => resolve({ queued }), failed: reject }));
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

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
