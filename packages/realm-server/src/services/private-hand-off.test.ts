import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Completion } from "@realmchat/node-runtime";
import { afterEach, describe, expect, it } from "vitest";
import { RecordingMember } from "../../test/service-realm.ts";
import { LocalPresence } from "../presence/local-presence.ts";
import type { InboxStore, StoredMessage } from "../store/realm-store.ts";
import { SqliteRealmStore } from "../store/sqlite/sqlite-realm-store.ts";
import { PrivateHandOff } from "./private-hand-off.ts";

let dir: string | undefined;
let store: SqliteRealmStore | undefined;
afterEach(async () => {
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  store = undefined;
  dir = undefined;
});

/** The real SQLite inboxes, with the appends they were asked for counted. */
async function inboxes(): Promise<{ inboxes: InboxStore; appended: string[] }> {
  dir = await mkdtemp(join(tmpdir(), "hand-off-"));
  store = SqliteRealmStore.open(dir, { sessionIdleMs: 60_000, open: "create" });
  const real = store.inboxes;
  const appended: string[] = [];
  const counted: InboxStore = {
    append: (m: StoredMessage, done: Completion<void>) => {
      appended.push(m.id);
      real.append(m, done);
    },
    count: (u) => real.count(u),
    peek: (u, n) => real.peek(u, n),
    ackUpTo: (u, id) => real.ackUpTo(u, id),
    remove: (u, ids) => real.remove(u, ids),
    sizes: () => real.sizes(),
  };
  return { inboxes: counted, appended };
}

const message = (id: string, to = "henderson"): StoredMessage => ({
  id,
  from: "messi",
  fromName: "Messi",
  to,
  toName: to,
  text: id,
  sentAt: 1,
});

class Receipts {
  readonly sent: string[] = [];
  readonly failed: unknown[] = [];
  receipt = {
    sent: (id: string) => this.sent.push(id),
    failed: (error: unknown) => this.failed.push(error),
  };
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("PrivateHandOff", () => {
  it("settles a message acknowledged in time without asking the store for anything", async () => {
    const { inboxes: inbox, appended } = await inboxes();
    const presence = new LocalPresence();
    const henderson = new RecordingMember("henderson");
    presence.add(henderson);
    const handOff = new PrivateHandOff({ inboxes: inbox, presence, holdMs: 50, maxHeld: 10 });
    const r = new Receipts();
    handOff.deliver(message("a"), r.receipt);
    handOff.deliver(message("b"), r.receipt);
    expect(henderson.events.map((e) => (e.ev === "message" ? e.text : ""))).toEqual(["a", "b"]);
    expect(handOff.heldFor("henderson")).toBe(2);
    expect(handOff.acknowledge("a")).toBe("settled");
    expect(handOff.acknowledge("b")).toBe("settled");
    expect(r.sent).toEqual(["a", "b"]);
    await pause(120);
    expect(appended).toEqual([]);
    expect(await inbox.peek("henderson", 10)).toEqual([]);
    expect(handOff.heldFor("henderson")).toBe(0);
  });

  it("stores what is not acknowledged in time, in the order held, and answers its sender at the commit", async () => {
    const { inboxes: inbox, appended } = await inboxes();
    const presence = new LocalPresence();
    presence.add(new RecordingMember("henderson"));
    const handOff = new PrivateHandOff({ inboxes: inbox, presence, holdMs: 30, maxHeld: 10 });
    const r = new Receipts();
    for (const id of ["a", "b", "c"]) handOff.deliver(message(id), r.receipt);
    await pause(10);
    expect(handOff.acknowledge("b")).toBe("settled");
    await pause(80);
    expect(appended).toEqual(["a", "c"]);
    expect(r.sent).toEqual(["b", "a", "c"]);
    expect((await inbox.peek("henderson", 10)).map((m) => m.id)).toEqual(["a", "c"]);
    // Acknowledged after its write began: it is told to delete the row, and its sender hears once.
    expect(handOff.acknowledge("a")).toBe("written");
    expect(r.sent).toEqual(["b", "a", "c"]);
  });

  it("takes the commit path for a user with no live connection here, and past maxHeld", async () => {
    const { inboxes: inbox, appended } = await inboxes();
    const presence = new LocalPresence();
    presence.add(new RecordingMember("henderson"));
    const handOff = new PrivateHandOff({ inboxes: inbox, presence, holdMs: 60_000, maxHeld: 1 });
    const r = new Receipts();
    handOff.deliver(message("offline", "lineker"), r.receipt);
    handOff.deliver(message("held"), r.receipt);
    handOff.deliver(message("over"), r.receipt);
    expect(appended).toEqual(["offline", "over"]);
    await pause(20);
    expect(r.sent).toEqual(["offline", "over"]);
    // Stopping stores what is still held; its sender hears at the commit.
    handOff.flush();
    await pause(20);
    expect(appended).toEqual(["offline", "over", "held"]);
    expect(r.sent).toEqual(["offline", "over", "held"]);
  });
});
