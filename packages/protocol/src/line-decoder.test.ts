import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FrameTooLargeError, InvalidUtf8Error, type FrameError } from "./errors.ts";
import { LineDecoder, type LineSink } from "./line-decoder.ts";

class Collect implements LineSink {
  lines: string[] = [];
  errors: FrameError[] = [];
  onLine(line: string): void {
    this.lines.push(line);
  }
  onFrameError(error: FrameError): void {
    this.errors.push(error);
  }
}

const bytes = (s: string) => new TextEncoder().encode(s);

describe("LineDecoder", () => {
  it("splits many frames in one chunk, with and without \\r", () => {
    const d = new LineDecoder();
    const sink = new Collect();
    d.push(bytes("auth a b\r\ninbox t\nsend t u  hi  there \r\n"), sink);
    expect(sink.lines).toEqual(["auth a b", "inbox t", "send t u  hi  there "]);
    expect(d.bufferedBytes).toBe(0);
  });

  it("gives the same frames when fed one byte at a time", () => {
    const input = bytes("auth messi surabaya \r\nsend tok henderson héllo 👋\r\ninbox tok\n");
    const d = new LineDecoder();
    const sink = new Collect();
    for (const b of input) d.push(Uint8Array.of(b), sink);
    expect(sink.lines).toEqual(["auth messi surabaya ", "send tok henderson héllo 👋", "inbox tok"]);
    expect(sink.errors).toEqual([]);
  });

  it("reports an oversized frame once, discards it, and resumes at the next line", () => {
    const d = new LineDecoder({ maxFrameBytes: 16 });
    const sink = new Collect();
    d.push(bytes("x".repeat(10)), sink);
    d.push(bytes("y".repeat(10)), sink);
    d.push(bytes("z".repeat(100)), sink);
    expect(sink.errors).toHaveLength(1);
    expect(sink.errors[0]).toBeInstanceOf(FrameTooLargeError);
    expect(d.bufferedBytes).toBe(0);
    d.push(bytes("zz\nok\n"), sink);
    expect(sink.lines).toEqual(["ok"]);
  });

  it("rejects an oversized frame that arrives whole", () => {
    const d = new LineDecoder({ maxFrameBytes: 4 });
    const sink = new Collect();
    d.push(bytes("12345\n1234\r\n"), sink);
    expect(sink.errors.map((e) => e.code)).toEqual(["FRAME_TOO_LARGE"]);
    expect(sink.lines).toEqual(["1234"]);
  });

  it("never buffers more than the limit whatever arrives without a newline", () => {
    const d = new LineDecoder({ maxFrameBytes: 1024 });
    const sink = new Collect();
    const junk = new Uint8Array(4096).fill(0x41);
    for (let i = 0; i < 512; i++) {
      d.push(junk, sink);
      expect(d.bufferedBytes).toBeLessThanOrEqual(1024);
    }
    expect(sink.errors).toHaveLength(1);
  });

  it("reports invalid UTF-8 as a typed error and keeps decoding", () => {
    const d = new LineDecoder();
    const sink = new Collect();
    d.push(Uint8Array.of(0x61, 0xff, 0xfe, 0x0a, 0x62, 0x0a, 0xc3, 0x0a), sink);
    expect(sink.errors).toHaveLength(2);
    expect(sink.errors[0]).toBeInstanceOf(InvalidUtf8Error);
    expect(sink.lines).toEqual(["b"]);
  });

  it("flushPartial hands over an unterminated frame (classic group mode)", () => {
    const d = new LineDecoder();
    const sink = new Collect();
    d.push(bytes("halo gaes"), sink);
    expect(sink.lines).toEqual([]);
    d.flushPartial(sink);
    expect(sink.lines).toEqual(["halo gaes"]);
    d.flushPartial(sink);
    expect(sink.lines).toEqual(["halo gaes"]);
  });

  it("does not keep a reference to the caller's buffer", () => {
    const d = new LineDecoder();
    const sink = new Collect();
    const buf = bytes("abc");
    d.push(buf, sink);
    buf.fill(0x7a);
    d.push(bytes("\n"), sink);
    expect(sink.lines).toEqual(["abc"]);
  });

  it("property: any split of valid lines yields exactly those lines", () => {
    const line = fc.string({ unit: "grapheme", maxLength: 40 }).filter((s) => !s.includes("\n") && !s.endsWith("\r"));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, cuts) => {
        const all = bytes(lines.map((l) => l + "\r\n").join(""));
        const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
        const d = new LineDecoder();
        const sink = new Collect();
        let prev = 0;
        for (const p of [...points, all.length]) {
          d.push(all.subarray(prev, p), sink);
          prev = p;
        }
        expect(sink.errors).toEqual([]);
        expect(sink.lines).toEqual(lines);
      }),
    );
  });

  it("property: arbitrary bytes end one frame per newline, and no line is over the limit or holds a newline", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
        const d = new LineDecoder({ maxFrameBytes: 256 });
        const sink = new Collect();
        let newlines = 0;
        for (const c of chunks) {
          d.push(c, sink);
          expect(d.bufferedBytes).toBeLessThanOrEqual(256);
          for (const b of c) if (b === 0x0a) newlines++;
        }
        expect(d.framesEnded).toBe(newlines);
        for (const l of sink.lines) {
          expect(l).not.toContain("\n");
          expect(new TextEncoder().encode(l).length).toBeLessThanOrEqual(256);
        }
      }),
    );
  });

  it("counts ended frames as they end, byte by byte, whatever becomes of them", () => {
    const d = new LineDecoder({ maxFrameBytes: 4 });
    const sink = new Collect();
    const counts: number[] = [];
    for (const b of bytes("ab\ntoo long\n\xff\n")) {
      d.push(Uint8Array.of(b), sink);
      counts.push(d.framesEnded);
    }
    expect(counts.indexOf(1)).toBe(2);
    expect(counts.at(-1)).toBe(3);
    d.push(bytes("cd"), sink);
    d.flushPartial(sink);
    expect(d.framesEnded).toBe(4);
    expect(sink.lines).toEqual(["ab", "\u00ff", "cd"]);
  });
});
