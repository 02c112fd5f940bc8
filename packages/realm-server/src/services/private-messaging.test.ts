import type { BatchItem, FrameOf } from "@realmchat/protocol";
import { describe, expect, it } from "vitest";
import { eventually } from "../../test/support/eventually.ts";
import { RecordingMember, serviceRealm } from "../../test/service-realm.ts";

const james = [{ user: "james", name: "James Maranata" }];

describe("PrivateMessaging", () => {
  it("stores a message for a local user and pushes it to their live connections", async () => {
    const { realm, store, presence } = await serviceRealm();
    const henderson = new RecordingMember("henderson");
    presence.add(henderson);
    const messi = await store.users.get("messi");
    const sent = await realm.services.messaging.send(messi!, { user: "henderson", realm: undefined }, "halo");
    expect(sent.queued).toBe(false);
    expect(await store.inboxes.peek("henderson", 10)).toMatchObject([{ id: sent.id, from: "messi", fromName: "MESSI", text: "halo" }]);
    expect(henderson.events).toMatchObject([{ ev: "message", msgId: sent.id, from: "messi", text: "halo" }]);
  });

  it("refuses unknown and ambiguous recipients with the error table's codes", async () => {
    const { realm, store } = await serviceRealm();
    realm.federation.directory.set("realm2", james, []);
    realm.federation.directory.set("realm3", james, []);
    const messi = (await store.users.get("messi"))!;
    const { messaging } = realm.services;
    await expect(messaging.send(messi, { user: "nobody", realm: undefined }, "x")).rejects.toMatchObject({
      code: "USER_NOT_FOUND",
      message: "user 'nobody' not found",
    });
    await expect(messaging.send(messi, { user: "x", realm: "realm9" }, "x")).rejects.toMatchObject({
      code: "USER_NOT_FOUND",
      message: "user 'x@realm9' not found: unknown realm",
    });
    await expect(messaging.send(messi, { user: "james", realm: undefined }, "x")).rejects.toMatchObject({
      code: "AMBIGUOUS_USER",
      message: "user name 'james' is ambiguous: use one of james@realm2, james@realm3",
    });
  });

  it("keeps a message for another realm in the outbox while no bridge is linked, and answers 'queued'", async () => {
    const { realm, store } = await serviceRealm();
    realm.federation.directory.set("realm2", james, []);
    const sent = await realm.services.messaging.send((await store.users.get("messi"))!, { user: "james", realm: "realm2" }, "halo");
    expect(sent.queued).toBe(true);
    expect(await store.outbox.list()).toMatchObject([{ id: sent.id, to: "realm2", user: "james" }]);
  });

  it("hands a message to the linked bridge and answers once the other realm stored it (or refused it)", async () => {
    const { realm, store, bridge } = await serviceRealm();
    realm.federation.onLinkReady(bridge);
    realm.federation.onLinkFrame(bridge, { t: "peer", realm: "realm2", up: true });
    realm.federation.directory.set("realm2", james, []);
    const messi = (await store.users.get("messi"))!;
    const pending = realm.services.messaging.send(messi, { user: "james", realm: "realm2" }, "halo");
    const dm = await eventually(() => {
      const sent = lastSent(bridge);
      expect(sent).toMatchObject({ origin: "realm1", to: "realm2", user: "james", from: "messi", text: "halo" });
      return sent;
    });
    realm.federation.onLinkFrame(bridge, { t: "ack", id: dm!.id, origin: "realm1", status: "stored" });
    await expect(pending).resolves.toEqual({ id: dm!.id, queued: false });
    expect(await store.outbox.list()).toEqual([]);

    const refused = realm.services.messaging.send(messi, { user: "james", realm: "realm2" }, "again");
    await eventually(() => expect(lastSent(bridge)?.text).toBe("again"));
    realm.federation.onLinkFrame(bridge, {
      t: "ack",
      id: lastSent(bridge)!.id,
      origin: "realm1",
      status: "rejected",
      code: "USER_NOT_FOUND",
      message: "no james here",
    });
    await expect(refused).rejects.toMatchObject({ code: "USER_NOT_FOUND", message: "no james here", fields: { realm: "realm2" } });
  });

  it("answers 'queued' at once for a realm its bridge says is not reachable now, and still hands the message on", async () => {
    const { realm, store, bridge } = await serviceRealm();
    realm.federation.onLinkReady(bridge);
    realm.federation.directory.set("realm2", james, []);
    realm.federation.onLinkFrame(bridge, { t: "peer", realm: "realm2", up: false });
    const sent = await realm.services.messaging.send((await store.users.get("messi"))!, { user: "james", realm: "realm2" }, "later");
    expect(sent.queued).toBe(true);
    await eventually(() => expect(lastSent(bridge)).toMatchObject({ id: sent.id, text: "later" }));
  });
});

/** The last private message the realm handed to its bridge (messages leave in `batch` frames). */
function lastSent(bridge: {
  last<T extends "batch">(t: T): FrameOf<T> | undefined;
}): (BatchItem & { origin: string; to: string }) | undefined {
  const batch = bridge.last("batch");
  const item = batch?.items[batch.items.length - 1];
  return batch === undefined || item === undefined ? undefined : { ...item, origin: batch.origin, to: batch.to };
}
