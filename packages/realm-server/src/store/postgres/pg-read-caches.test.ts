import { describe, expect, it } from "vitest";
import type { Session, UserRecord } from "../realm-store.ts";
import { INBOX_COUNT_FRESH_MS, InboxCounts, SessionCache, UserCache } from "./pg-read-caches.ts";

const messi: UserRecord = { username: "messi", displayName: "Lionel Messi", passwordHash: "h" };

/** A read whose answer the test gives when it wants, and how many reads were asked for. */
function slowRead<T>() {
  const waiting: ((value: T) => void)[] = [];
  const read = (): Promise<T> => new Promise<T>((resolve) => waiting.push(resolve));
  return {
    read,
    answer: (value: T) => waiting.shift()?.(value),
    get asked() {
      return waiting.length;
    },
  };
}

describe("UserCache", () => {
  it("reads a user once, then answers from memory; a name that is no user is read each time", async () => {
    const cache = new UserCache();
    let reads = 0;
    const read = async (name: string) => (reads++, name === "messi" ? messi : undefined);
    expect(await cache.get("messi", read)).toEqual(messi);
    expect(cache.get("messi", read)).toEqual(messi);
    expect(await cache.get("ghost", read)).toBeUndefined();
    expect(await cache.get("ghost", read)).toBeUndefined();
    expect(reads).toBe(3);
  });

  it("does not keep a read that was on its way when the user changed", async () => {
    const cache = new UserCache();
    const slow = slowRead<UserRecord | undefined>();
    const before = cache.get("messi", slow.read) as Promise<UserRecord | undefined>;
    cache.forget("messi");
    slow.answer(messi);
    expect(await before).toEqual(messi);
    // Not kept: the next get reads again.
    const again = cache.get("messi", slow.read);
    expect(again).toBeInstanceOf(Promise);
    slow.answer({ ...messi, displayName: "Leo" });
    expect(await again).toMatchObject({ displayName: "Leo" });
    expect(cache.get("messi", slow.read)).toMatchObject({ displayName: "Leo" });
  });
});

describe("InboxCounts", () => {
  it("counts once, follows this instance's own changes, and counts again once the count is a second old", async () => {
    let now = 1000;
    const counts = new InboxCounts(() => now);
    let stored = 5;
    let reads = 0;
    const read = async () => (reads++, stored);
    expect(await counts.count("messi", read)).toBe(5);
    counts.change("messi", 1);
    counts.change("messi", -3);
    expect(counts.count("messi", read)).toBe(3);
    stored = 9; // another instance stored more meanwhile
    now += INBOX_COUNT_FRESH_MS;
    expect(await counts.count("messi", read)).toBe(9);
    expect(reads).toBe(2);
    counts.forget("messi");
    expect(counts.count("messi", read)).toBeInstanceOf(Promise);
  });
});

describe("reads on their way", () => {
  it("are shared: a later caller of the same key is answered by the read already asked for, after the earlier caller", async () => {
    const counts = new InboxCounts(() => 0);
    const slow = slowRead<number>();
    const order: string[] = [];
    const first = counts.count("messi", slow.read) as Promise<number>;
    const second = counts.count("messi", slow.read) as Promise<number>;
    expect(slow.asked).toBe(1);
    const answered = Promise.all([first.then((n) => order.push(`first ${n}`)), second.then((n) => order.push(`second ${n}`))]);
    slow.answer(4);
    await answered;
    // One read answered both, in the order they asked; the count is kept from it.
    expect(order).toEqual(["first 4", "second 4"]);
    expect(counts.count("messi", slow.read)).toBe(4);

    const users = new UserCache();
    const reads = slowRead<UserRecord | undefined>();
    const a = users.get("messi", reads.read);
    const b = users.get("messi", reads.read);
    expect(a).toBe(b);
    expect(reads.asked).toBe(1);
    users.forget("messi");
    // After a change, a new read, which the store answers after the one before.
    expect(users.get("messi", reads.read)).not.toBe(a);
    expect(reads.asked).toBe(2);
  });
});

describe("SessionCache", () => {
  const timing = { idleMs: 10_000, persistMs: 1000 };
  const session: Session = { token: "t", username: "messi" };

  it("serves a session from memory, writes its last use back at most every persistMs, and lets an idle one go to the store", async () => {
    const cache = new SessionCache();
    const persisted: number[] = [];
    let reads = 0;
    const read = async () => (reads++, session);
    expect(await cache.touch("h", 0, timing, read, (at) => persisted.push(at))).toEqual(session);
    for (const at of [500, 1200, 1500, 2500]) expect(cache.touch("h", at, timing, read, (a) => persisted.push(a))).toEqual(session);
    expect(persisted).toEqual([1200, 2500]);
    expect(reads).toBe(1);
    // Idle past idleMs: the store is asked (it deletes the row and says so).
    const gone = cache.touch(
      "h",
      2500 + timing.idleMs + 1,
      timing,
      async () => undefined,
      () => undefined,
    );
    expect(await gone).toBeUndefined();
    expect(cache.touch("h", 2500 + timing.idleMs + 2, timing, read, () => undefined)).toBeInstanceOf(Promise);
  });

  it("forgets a logged-out session and a user's sessions, and keeps no read that was on its way then", async () => {
    const cache = new SessionCache();
    cache.add("a", session, 0);
    cache.add("b", { token: "u", username: "messi" }, 0);
    cache.add("c", { token: "v", username: "james" }, 0);
    cache.forgetHash("a");
    cache.forgetUser("messi");
    const read = async () => undefined;
    expect(cache.touch("a", 1, timing, read, () => undefined)).toBeInstanceOf(Promise);
    expect(cache.touch("b", 1, timing, read, () => undefined)).toBeInstanceOf(Promise);
    expect(cache.touch("c", 1, timing, read, () => undefined)).toMatchObject({ username: "james" });
    const slow = slowRead<Session | undefined>();
    const onItsWay = cache.touch("d", 1, timing, slow.read, () => undefined);
    cache.forgetUser("messi");
    slow.answer(session);
    expect(await onItsWay).toEqual(session);
    expect(cache.touch("d", 2, timing, slow.read, () => undefined)).toBeInstanceOf(Promise);
  });
});
