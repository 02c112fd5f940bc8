import { describe, expect, it } from "vitest";
import { CoalescingWriter } from "./coalescing-writer.ts";
import { FlushScheduler } from "./flush-scheduler.ts";

const nextTurn = () => new Promise((r) => setImmediate(r));

describe("CoalescingWriter", () => {
  it("turns every write of one event-loop turn into one sink write, per sink", async () => {
    const scheduler = new FlushScheduler();
    const a: string[] = [];
    const b: string[] = [];
    const wa = new CoalescingWriter({ write: (t: string) => a.push(t) }, scheduler);
    const wb = new CoalescingWriter({ write: (t: string) => b.push(t) }, scheduler);
    for (let i = 0; i < 100; i++) wa.write(`${i},`);
    wb.write("x");
    expect(a).toEqual([]);
    await nextTurn();
    expect(a).toEqual([Array.from({ length: 100 }, (_, i) => `${i},`).join("")]);
    expect(b).toEqual(["x"]);
    wa.write("later");
    await nextTurn();
    expect(a).toHaveLength(2);
  });

  it("close flushes and then drops; discard drops at once", async () => {
    const scheduler = new FlushScheduler();
    const out: string[] = [];
    const w = new CoalescingWriter({ write: (t: string) => out.push(t) }, scheduler);
    w.write("last words");
    w.close();
    w.write("never");
    await nextTurn();
    expect(out).toEqual(["last words"]);
    const gone: string[] = [];
    const d = new CoalescingWriter({ write: (t: string) => gone.push(t) }, scheduler);
    d.write("pending");
    d.discard();
    await nextTurn();
    expect(gone).toEqual([]);
  });
});

describe("CoalescingWriter.writeThen", () => {
  it("tells whether the text was handed on by the sink, once the sink says so", async () => {
    const scheduler = new FlushScheduler();
    const finish: Array<(error?: Error | null) => void> = [];
    const w = new CoalescingWriter({ write: (_t: string, done?: (error?: Error | null) => void) => done && finish.push(done) }, scheduler);
    const told: boolean[] = [];
    w.write("plain ");
    w.writeThen("reply", (ok) => told.push(ok));
    await nextTurn();
    expect(told).toEqual([]);
    finish[0]?.();
    expect(told).toEqual([true]);
    w.writeThen("lost", (ok) => told.push(ok));
    await nextTurn();
    finish[1]?.(new Error("socket destroyed"));
    expect(told).toEqual([true, false]);
  });

  it("answers false for text that never reached the sink", () => {
    const w = new CoalescingWriter({ write: () => undefined }, new FlushScheduler());
    const told: boolean[] = [];
    w.writeThen("pending", (ok) => told.push(ok));
    w.discard();
    w.writeThen("after", (ok) => told.push(ok));
    expect(told).toEqual([false, false]);
  });
});
