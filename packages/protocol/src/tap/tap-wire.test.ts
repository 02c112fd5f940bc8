import { describe, expect, it } from "vitest";
import type { TapRecord } from "./tap-event.ts";
import { decodeTapMessage, encodeTapRecord, encodeTapRoute } from "./tap-wire.ts";

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
  it("carries records back to back, frames as they were (line ends, quotes, non-ASCII), with a dropped notice between", () => {
    const a = record(1, '{"op":"send","to":"james","text":"halo \\"kawan\\" 🙂"}\n{"op":"ack","ids":["x"]}\n');
    const b = record(3, "auth messi •••\r\n");
    const text = `${encode(a)}{"dropped":1}\n${encode(b)}`;
    expect(decodeTapMessage(text)).toEqual({ records: [a, b], dropped: 1 });
  });

  it("names a header that is not JSON, and frames cut short", () => {
    expect(decodeTapMessage("not json\n")).toEqual({ kind: "bad-header", at: 0 });
    const whole = encode(record(1, "0123456789\n"));
    expect(decodeTapMessage(whole.slice(0, -3))).toEqual({ kind: "short-frames", at: 0 });
    expect(decodeTapMessage(`${whole}{"seq":2}\n`)).toEqual({ kind: "bad-header", at: whole.length });
  });
});
