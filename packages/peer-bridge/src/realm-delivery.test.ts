import { MAX_BATCH_ITEMS, type BatchItem, type FederationFrame } from "@realmchat/protocol";
import { describe, expect, it } from "vitest";
import { RealmDelivery } from "./realm-delivery.ts";

const item = (id: string): BatchItem => ({ id, from: "a", fromName: "A", user: "b", text: id, sentAt: 0 });

function resent(delivery: RealmDelivery): FederationFrame[] {
  const frames: FederationFrame[] = [];
  delivery.resend("realm1", { send: (frame) => frames.push(frame) });
  return frames;
}

describe("RealmDelivery", () => {
  it("offers again what the realm has not acknowledged, each origin's messages in their order", () => {
    const d = new RealmDelivery();
    d.add("realm2", item("x1"));
    d.add("realm3", item("y1"));
    d.add("realm2", item("x2"));
    d.add("realm3", item("x1"));
    d.add("realm2", item("x3"));
    d.done("realm2", "x2");
    // The same id from another origin is another message.
    d.done("realm3", "x1");
    expect(resent(d)).toEqual([
      { t: "batch", origin: "realm2", to: "realm1", items: [item("x1"), item("x3")] },
      { t: "batch", origin: "realm3", to: "realm1", items: [item("y1")] },
    ]);
    d.done("realm2", "x1");
    d.done("realm2", "x3");
    d.done("realm3", "y1");
    expect(resent(d)).toEqual([]);
  });

  it("splits a long backlog into batches no larger than a batch may be", () => {
    const d = new RealmDelivery();
    for (let i = 0; i < MAX_BATCH_ITEMS + 3; i++) d.add("realm2", item(`m${i}`));
    const frames = resent(d);
    expect(frames.map((f) => (f.t === "batch" ? f.items.length : 0))).toEqual([MAX_BATCH_ITEMS, 3]);
    expect(frames.flatMap((f) => (f.t === "batch" ? f.items.map((i) => i.id) : []))).toEqual(
      Array.from({ length: MAX_BATCH_ITEMS + 3 }, (_, i) => `m${i}`),
    );
  });
});
