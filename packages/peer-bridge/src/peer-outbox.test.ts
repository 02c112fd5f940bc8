import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FederationFrame, FrameOf } from "@realmchat/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { BridgeStore } from "./bridge-store.ts";
import type { FederationLink } from "@realmchat/node-runtime";
import { PeerOutbox } from "./peer-outbox.ts";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const dm = (id: string): FrameOf<"dm"> => ({
  t: "dm",
  id,
  origin: "realm1",
  to: "realm2",
  from: "messi",
  fromName: "M",
  user: "james",
  text: id,
  sentAt: 1,
});

/** Collects what the outbox sends; only `send` of a link is used. */
function recorder(): { link: FederationLink; sent: FederationFrame[] } {
  const sent: FederationFrame[] = [];
  return { link: { send: (f: FederationFrame) => sent.push(f) } as unknown as FederationLink, sent };
}

describe("PeerOutbox on a real BridgeStore", () => {
  it("writes nothing while the peer answers; a lost link commits what is in flight, resent in order on restart", async () => {
    dir = mkdtempSync(join(tmpdir(), "bridge-"));
    let store = BridgeStore.open(dir);
    let outbox = new PeerOutbox("realm1", "realm2", store, 2);
    for (const id of ["a", "b", "c"]) expect(outbox.hold(dm(id))).toBe(true);
    expect(outbox.hold(dm("a"))).toBe(false);
    const first = recorder();
    outbox.pump(first.link);
    expect(first.sent).toEqual([
      { t: "batch", origin: "realm1", to: "realm2", items: [expect.objectContaining({ id: "a" }), expect.objectContaining({ id: "b" })] },
    ]);
    expect(outbox.acknowledged("a")).toEqual({ realmWaiting: true });
    // Linked: the realm holds them until answered; nothing is on the bridge's disk yet.
    expect(store.queued("realm2")).toEqual([]);
    expect(await outbox.linkLost()).toEqual(["b", "c"]);
    expect(store.queued("realm2").map((q) => q.frame.id)).toEqual(["b", "c"]);
    await store.close();

    store = BridgeStore.open(dir);
    outbox = new PeerOutbox("realm1", "realm2", store, 10);
    expect(outbox.size).toBe(2);
    const second = recorder();
    outbox.pump(second.link);
    expect((second.sent[0] as FrameOf<"batch">).items.map((i) => i.id)).toEqual(["b", "c"]);
    await store.close();
  });

  it("commits a message given while the peer is unreachable before resolving, and a resend of one held in memory", async () => {
    dir = mkdtempSync(join(tmpdir(), "bridge-"));
    const store = BridgeStore.open(dir);
    const outbox = new PeerOutbox("realm1", "realm2", store, 10);
    expect(await outbox.takeOver(dm("down"))).toBe(true);
    expect(store.queued("realm2").map((q) => q.frame.id)).toEqual(["down"]);
    expect(outbox.hold(dm("held"))).toBe(true);
    expect(store.queued("realm2").map((q) => q.frame.id)).toEqual(["down"]);
    expect(await outbox.takeOver(dm("held"))).toBe(false);
    expect(store.queued("realm2").map((q) => q.frame.id)).toEqual(["down", "held"]);
    expect(outbox.acknowledged("held")).toEqual({ realmWaiting: false });
    await new Promise((r) => setImmediate(r));
    expect(store.queued("realm2").map((q) => q.frame.id)).toEqual(["down"]);
    await store.close();
  });

  it("hands over messages queued before the cutoff that are not in flight", async () => {
    dir = mkdtempSync(join(tmpdir(), "bridge-"));
    const store = BridgeStore.open(dir);
    const outbox = new PeerOutbox("realm1", "realm2", store, 10);
    await outbox.takeOver(dm("old"));
    expect(outbox.takeExpired(Date.now() - 60_000)).toEqual([]);
    expect(outbox.takeExpired(Date.now() + 1).map((f) => f.id)).toEqual(["old"]);
    expect(outbox.size).toBe(0);
    await outbox.forget("old");
    expect(store.queued("realm2")).toEqual([]);
    await store.close();
  });
});
