import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DeliveryQueue } from "./delivery-queue.ts";

function drain<T>(q: DeliveryQueue<T>): string[] {
  const ids: string[] = [];
  for (let e = q.takeUnsent(); e !== undefined; e = q.takeUnsent()) ids.push(e.id);
  return ids;
}

describe("DeliveryQueue", () => {
  it("sends in order, keeps items until acked, and resends in order after a drop", () => {
    const q = new DeliveryQueue<string>();
    for (const id of ["a", "b", "c", "d"]) q.enqueue(id, id.toUpperCase());
    expect(drain(q)).toEqual(["a", "b", "c", "d"]);
    expect(q.inFlight).toBe(4);
    q.ack("b");
    expect(q.requeueAll().map((e) => e.id)).toEqual(["a", "c", "d"]);
    q.enqueue("e", "E");
    expect(drain(q)).toEqual(["a", "c", "d", "e"]);
    for (const id of ["a", "c", "d", "e"]) expect(q.ack(id)?.item).toBe(id.toUpperCase());
    expect(q.size).toBe(0);
    expect(q.ack("a")).toBeUndefined();
  });

  it("ignores a duplicate enqueue", () => {
    const q = new DeliveryQueue<number>();
    expect(q.enqueue("x", 1)).toBe(true);
    expect(q.enqueue("x", 2)).toBe(false);
    expect(drain(q)).toEqual(["x"]);
  });

  it("property: whatever the interleaving of sends, acks and drops, every item is delivered and acked once, in order", () => {
    const op = fc.oneof(
      fc.constant("send" as const),
      fc.constant("ack" as const),
      fc.constant("drop" as const),
      fc.constant("add" as const),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const q = new DeliveryQueue<number>();
        let next = 0;
        const wire: string[] = [];
        const acked: string[] = [];
        for (const o of ops) {
          if (o === "add") q.enqueue(String(next), next++);
          else if (o === "send") {
            const e = q.takeUnsent();
            if (e) wire.push(e.id);
          } else if (o === "ack") {
            const first = wire.shift();
            if (first !== undefined && q.ack(first)) acked.push(first);
          } else {
            wire.length = 0;
            q.requeueAll();
          }
        }
        for (let e = q.takeUnsent(); e; e = q.takeUnsent()) wire.push(e.id);
        for (const id of wire) if (q.ack(id)) acked.push(id);
        expect(acked).toEqual(Array.from({ length: next }, (_, i) => String(i)));
      }),
    );
  });
});
