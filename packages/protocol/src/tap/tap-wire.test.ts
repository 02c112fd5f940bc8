import { describe, expect, it } from "vitest";
import type { TapRecord } from "./tap-event.ts";
import { decodeTapMessage, encodeTapRecord, encodeTapRoute } from "./tap-wire.ts";
import { encodeTapHeader } from "./tap-header.ts";
import { tapEventsOf } from "./tap-event.ts";

const record = (seq: number, frames: string): TapRecord => ({
  seq,
  ts: 1796460000000 + seq,
  process: "realm1",
  link: "live",
  conn: "c1",
  from: "127.0.0.1:5000",
  to: "realm1",
  dir: "in",
  frames,
});

const encode = (r: TapRecord): string => {
  const { seq, ts, frames, ...route } = r;
  return encodeTapRecord(seq, ts, encodeTapRoute(route), frames);
};

describe("the tap's wire format", () => {
  it("writes a header as JSON, numbers of every size included", () => {
    const route = encodeTapRoute({ process: "realm1", link: "live", conn: "c1", from: "é@realm1", to: "realm1", dir: "in" });
    for (const [seq, ts, n] of [
      [1, 0, 0],
      [9, 10, 99],
      [123_456_789, 1_796_460_000_123, 2 ** 53 - 1],
    ] as const) {
      const header = encodeTapHeader(seq, ts, "arrived", n, route);
      expect(header.endsWith("}\n")).toBe(true);
      expect(JSON.parse(header)).toEqual({ seq, ts, arrived: n, ...JSON.parse(`{${route}}`) });
    }
  });

  it("carries records back to back, frames as they were (line ends, quotes, non-ASCII), with a dropped notice between", () => {
    const a = record(1, '{"op":"send","to":"james","text":"halo \\"kawan\\" 🙂"}\n{"op":"ack","ids":["x"]}\n');
    const b = record(3, "auth messi •••\r\n");
    const text = `${encode(a)}{"dropped":1}\n${encode(b)}`;
    expect(decodeTapMessage(text)).toEqual({ records: [a, b], dropped: 1 });
  });

  it("gives a repeat the frames of the earlier record it names, and names a repeat of a record not in the message", () => {
    const a = record(7, '{"ev":"group","group":"lab","text":"halo"}\n');
    const { seq, ts, frames, ...route } = { ...a, seq: 8, ts: a.ts + 1, conn: "c2" };
    const repeat = encodeTapHeader(seq, ts, "same", 7, encodeTapRoute(route));
    expect(decodeTapMessage(`${encode(a)}${repeat}`)).toEqual({ records: [a, { ...route, seq, ts, frames }], dropped: 0 });
    expect(decodeTapMessage(repeat)).toEqual({ kind: "unknown-same", at: 0 });
  });

  it("carries an arrival as a header alone, which has no events", () => {
    const { seq, ts, frames, ...route } = { ...record(4, ""), link: "federation" as const, from: "bridge-realm1" };
    const arrival = encodeTapHeader(seq, ts, "arrived", 4096, encodeTapRoute(route));
    const after = record(5, '{"op":"ping"}\n');
    const message = decodeTapMessage(`${arrival}${encode(after)}`);
    expect(message).toEqual({ records: [{ ...route, seq, ts, frames, arrived: 4096 }, after], dropped: 0 });
    if ("records" in message) expect(message.records.flatMap(tapEventsOf).map((e) => e.seq)).toEqual([5]);
  });

  it("names a header that is not JSON, and frames cut short", () => {
    expect(decodeTapMessage("not json\n")).toEqual({ kind: "bad-header", at: 0 });
    const whole = encode(record(1, "0123456789\n"));
    expect(decodeTapMessage(whole.slice(0, -3))).toEqual({ kind: "short-frames", at: 0 });
    expect(decodeTapMessage(`${whole}{"seq":2}\n`)).toEqual({ kind: "bad-header", at: whole.length });
  });
});
