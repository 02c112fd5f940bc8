import { describe, expect, it } from "vitest";
import { appendToInbox, MAX_READ_MARKERS, type RealmStore } from "../src/store/realm-store.ts";

/** A store under test: `open` again on the same place is a restart. */
export interface StoreUnderTest {
  open(now?: () => number): Promise<RealmStore>;
}

const HASH = "scrypt$16384$8$1$c2FsdA==$aGFzaA==";
const message = (id: string, to: string, text: string, sentAt = 1) => ({
  id,
  from: "messi",
  fromName: "Lionel Messi",
  to,
  toName: to.toUpperCase(),
  text,
  sentAt,
});

/**
 * The `RealmStore` contract, one suite for every store (SQLite, PostgreSQL): what the realm's
 * services rely on, and that a restart keeps it.
 */
export function realmStoreContract(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`${name}: the RealmStore contract`, () => {
    it("users: put replaces, list, remove deletes the inbox and the sessions too", async () => {
      const place = await make();
      const store = await place.open();
      await store.users.put({ username: "messi", displayName: "M", passwordHash: HASH });
      await store.users.put({ username: "messi", displayName: "Lionel Messi", passwordHash: HASH });
      await store.users.put({ username: "kai", displayName: "kai", passwordHash: HASH });
      expect(await store.users.get("messi")).toEqual({ username: "messi", displayName: "Lionel Messi", passwordHash: HASH });
      expect((await store.users.list()).map((u) => u.username).sort()).toEqual(["kai", "messi"]);
      await appendToInbox(store.inboxes, message("a", "kai", "hi"));
      const session = await store.sessions.create("kai");
      expect(await store.users.remove("kai")).toBe(true);
      expect(await store.users.remove("kai")).toBe(false);
      expect(await store.inboxes.count("kai")).toBe(0);
      expect(await store.sessions.touch(session.token)).toBeUndefined();
      await store.close();
    });

    it("users: a config user seeds the store once; removed or changed, it stays so, also after a restart", async () => {
      const place = await make();
      const store = await place.open();
      const kai = { username: "kai", displayName: "kai", passwordHash: HASH };
      expect(await store.users.seed(kai)).toBe(true);
      expect(await store.users.seed(kai)).toBe(false);
      await store.users.put({ ...kai, passwordHash: "scrypt$16384$8$1$c2FsdA==$bmV3" });
      expect(await store.users.seed(kai)).toBe(false);
      expect((await store.users.get("kai"))?.passwordHash).toBe("scrypt$16384$8$1$c2FsdA==$bmV3");
      expect(await store.users.remove("kai")).toBe(true);
      await store.close();
      const again = await place.open();
      expect(await again.users.seed(kai)).toBe(false);
      expect(await again.users.get("kai")).toBeUndefined();
      // A user already in the store (put by an operator) is not replaced by the config's.
      await again.users.put({ username: "messi", displayName: "Lionel Messi", passwordHash: HASH });
      expect(await again.users.seed({ username: "messi", displayName: "M", passwordHash: HASH })).toBe(false);
      expect((await again.users.get("messi"))?.displayName).toBe("Lionel Messi");
      await again.close();
    });

    it("inboxes: in order, peek removes nothing, ack removes up to an id; a restart keeps them", async () => {
      const place = await make();
      const store = await place.open();
      for (const id of ["1", "2", "3"]) await appendToInbox(store.inboxes, message(id, "henderson", `m${id}`));
      expect(await store.inboxes.count("henderson")).toBe(3);
      expect((await store.inboxes.peek("henderson", 2)).map((m) => m.text)).toEqual(["m1", "m2"]);
      expect(await store.inboxes.ackUpTo("henderson", "2")).toBe(2);
      expect(await store.inboxes.ackUpTo("henderson", "nope")).toBe(0);
      await store.close();
      const again = await place.open();
      expect(await again.inboxes.peek("henderson", 10)).toEqual([message("3", "henderson", "m3")]);
      await again.close();
    });

    it("inboxes: remove takes messages by id wherever they are, only the user's own", async () => {
      const place = await make();
      const store = await place.open();
      for (const id of ["1", "2", "3", "4"]) await appendToInbox(store.inboxes, message(id, "henderson", `m${id}`));
      await appendToInbox(store.inboxes, message("5", "lineker", "m5"));
      expect(await store.inboxes.remove("henderson", ["3", "1", "5", "nope"])).toBe(2);
      expect((await store.inboxes.peek("henderson", 10)).map((m) => m.id)).toEqual(["2", "4"]);
      expect(await store.inboxes.count("henderson")).toBe(2);
      expect(await store.inboxes.count("lineker")).toBe(1);
      await store.close();
    });

    it("inboxes: sizes counts every inbox together, empty or not", async () => {
      const place = await make();
      const store = await place.open();
      expect(await store.inboxes.sizes()).toEqual({ messages: 0, inboxes: 0, largest: 0 });
      for (const id of ["1", "2", "3"]) await appendToInbox(store.inboxes, message(id, "henderson", `m${id}`));
      await appendToInbox(store.inboxes, message("4", "lineker", "m4"));
      expect(await store.inboxes.sizes()).toEqual({ messages: 4, inboxes: 2, largest: 3 });
      await store.inboxes.ackUpTo("henderson", "3");
      expect(await store.inboxes.sizes()).toEqual({ messages: 1, inboxes: 1, largest: 1 });
      await store.close();
    });

    it("sessions: touch keeps one alive, idle ones end, revoke and revokeUser end them; a restart keeps them", async () => {
      const place = await make();
      let now = 1_000_000;
      const store = await place.open(() => now);
      const a = await store.sessions.create("messi");
      const b = await store.sessions.create("messi");
      const c = await store.sessions.create("kai");
      expect(await store.sessions.touch(a.token)).toEqual({ token: a.token, username: "messi" });
      expect(await store.sessions.revoke(a.token)).toBe(true);
      expect(await store.sessions.revoke(a.token)).toBe(false);
      expect(await store.sessions.revokeUser("messi")).toBe(1);
      expect(await store.sessions.touch(b.token)).toBeUndefined();
      await store.close();
      const again = await place.open(() => now);
      expect(await again.sessions.touch(c.token)).toMatchObject({ username: "kai" });
      now += 2 * 60 * 60 * 1000;
      expect(await again.sessions.touch(c.token)).toBeUndefined();
      await again.close();
    });

    it("groups: ensure once, members in order, the newest history, merges absorbed once, merge records", async () => {
      const place = await make();
      const store = await place.open(() => 5_000);
      expect(await store.groups.ensure("g", "messi")).toMatchObject({
        created: true,
        group: { name: "g", createdBy: "messi", createdAt: 5_000 },
      });
      expect(await store.groups.ensure("g", "kai")).toMatchObject({ created: false, group: { createdBy: "messi" } });
      await store.groups.addMember("g", "messi");
      await store.groups.addMember("g", "james@realm2");
      await store.groups.addMember("g", "messi");
      await store.groups.removeMember("g", "nobody");
      expect(await store.groups.members("g")).toEqual(["messi", "james@realm2"]);
      for (let i = 0; i < 4; i++)
        await store.groups.appendHistory("g", { kind: "message", user: "messi", realm: "realm1", text: `t${i}`, ts: 10 + i }, 3);
      expect((await store.groups.history("g", 10)).map((e) => e.text)).toEqual(["t1", "t2", "t3"]);
      const theirs = [
        { kind: "joined" as const, user: "james", realm: "realm2", ts: 11 },
        { kind: "quit" as const, user: "james", realm: "realm2", ts: 20 },
      ];
      await store.groups.absorb("g", ["james@realm2", "kai@realm3"], theirs, 10);
      await store.groups.absorb("g", ["james@realm2", "kai@realm3"], theirs, 10);
      expect((await store.groups.history("g", 10)).map((e) => `${e.ts} ${e.user} ${e.kind}`)).toEqual([
        "11 messi message",
        "11 james joined",
        "12 messi message",
        "13 messi message",
        "20 james quit",
      ]);
      expect(await store.groups.members("g")).toEqual(["messi", "james@realm2", "kai@realm3"]);
      await store.groups.ensure("lost", "kai");
      await store.groups.addMember("lost", "kai");
      await store.groups.markMerged("lost", "realm2");
      expect((await store.groups.list()).map((g) => g.name)).toEqual(["g"]);
      await store.close();
      const again = await place.open();
      expect(await again.groups.get("lost")).toMatchObject({ mergedInto: "realm2", mergePending: true });
      expect((await again.groups.pendingMerges()).map((g) => g.name)).toEqual(["lost"]);
      await again.groups.mergeConfirmed("lost");
      expect(await again.groups.members("lost")).toEqual([]);
      expect(await again.groups.pendingMerges()).toEqual([]);
      expect((await again.groups.history("g", 2)).map((e) => e.ts)).toEqual([13, 20]);
      await again.close();
    });

    it("group history: events keep their ids; pages before an id go back to the first; a large keep trims now and then", async () => {
      const place = await make();
      const store = await place.open();
      for (let i = 0; i < 300; i++)
        await store.groups.appendHistory(
          "g",
          { kind: "message", user: "messi", realm: "realm1", text: `t${i}`, ts: 1000 + Math.floor(i / 2), eid: `e${i}` },
          100,
        );
      const newest = await store.groups.history("g", 5);
      expect(newest.map((e) => e.eid)).toEqual(["e295", "e296", "e297", "e298", "e299"]);
      const page = await store.groups.historyBefore("g", "e295", 3);
      expect(page).toEqual({ events: (await store.groups.history("g", 8)).slice(0, 3), more: true });
      expect(page.events.map((e) => e.text)).toEqual(["t292", "t293", "t294"]);
      // Trimmed to `keep`, give or take the appends between two trims.
      const kept = await store.groups.history("g", 1000);
      expect(kept.length).toBeGreaterThanOrEqual(100);
      expect(kept.length).toBeLessThan(100 + 64);
      const oldest = kept[0]?.eid as string;
      expect(await store.groups.historyBefore("g", oldest, 10)).toEqual({ events: [], more: false });
      expect(await store.groups.historyBefore("g", "e0", 10)).toEqual({ events: [], more: false });
      await store.close();
      const again = await place.open();
      expect((await again.groups.historyBefore("g", "e299", 1)).events.map((e) => e.eid)).toEqual(["e298"]);
      await again.close();
    });

    it("read markers: per user and conversation, only forward, bounded, gone with the user; kept across a restart", async () => {
      const place = await make();
      const store = await place.open();
      await store.users.put({ username: "messi", displayName: "Lionel Messi", passwordHash: HASH });
      expect(await store.markers.set("messi", "#batak", 20)).toEqual({ conversation: "#batak", ts: 20 });
      expect(await store.markers.set("messi", "#batak", 10)).toEqual({ conversation: "#batak", ts: 20 });
      await store.markers.set("messi", "@james@realm2", 5);
      await store.markers.set("kai", "#batak", 7);
      await store.close();
      const again = await place.open();
      expect(await again.markers.list("messi")).toEqual([
        { conversation: "#batak", ts: 20 },
        { conversation: "@james@realm2", ts: 5 },
      ]);
      for (let i = 0; i < MAX_READ_MARKERS; i++) await again.markers.set("kai", `#g${i}`, 100 + i);
      const kais = await again.markers.list("kai");
      expect(kais).toHaveLength(MAX_READ_MARKERS);
      expect(kais.some((m) => m.conversation === "#batak")).toBe(false);
      await again.users.remove("messi");
      expect(await again.markers.list("messi")).toEqual([]);
      await again.close();
    });

    it("relay ledger: the first delivery stores (or refuses) once, repeats get the same answer", async () => {
      const place = await make();
      const store = await place.open();
      await store.users.put({ username: "james", displayName: "James", passwordHash: HASH });
      const relayed = { id: "r1", from: "messi@realm1", fromName: "Lionel Messi", user: "james", text: "hi", sentAt: 7 };
      expect(await store.relayed.accept("realm1", relayed)).toEqual({ outcome: { status: "stored" }, fresh: true });
      expect(await store.relayed.accept("realm1", relayed)).toEqual({ outcome: { status: "stored" }, fresh: false });
      expect((await store.inboxes.peek("james", 10)).map((m) => [m.from, m.text, m.toName])).toEqual([["messi@realm1", "hi", "James"]]);
      expect(await store.relayed.accept("realm1", { ...relayed, id: "r2", user: "ghost" })).toMatchObject({
        outcome: { status: "rejected", code: "USER_NOT_FOUND" },
        fresh: true,
      });
      await store.close();
    });

    it("outbox and awaited deliveries: kept in order across a restart until taken", async () => {
      const place = await make();
      const store = await place.open();
      const entry = (id: string) => ({ id, to: "realm2", from: "messi", fromName: "M", user: "james", text: id, sentAt: 1 });
      await store.outbox.add(entry("o1"));
      await store.outbox.add(entry("o2"));
      await store.outbox.add(entry("o1"));
      await store.outbox.awaitDelivery({ id: "o1", from: "messi", to: "james@realm2" });
      await store.close();
      const again = await place.open();
      expect((await again.outbox.list()).map((e) => e.id)).toEqual(["o1", "o2"]);
      expect((await again.outbox.list(1)).map((e) => e.id)).toEqual(["o1"]);
      await again.outbox.remove("o1");
      expect((await again.outbox.list()).map((e) => e.id)).toEqual(["o2"]);
      expect(await again.outbox.takeDelivery("o1")).toEqual({ id: "o1", from: "messi", to: "james@realm2" });
      expect(await again.outbox.takeDelivery("o1")).toBeUndefined();
      await again.close();
    });
  });
}
