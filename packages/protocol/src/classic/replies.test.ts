import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ReplyDecoder } from "./reply-decoder.ts";
import { decodeClassicReply, encodeClassicReply, inboxEntriesOf, type InboxEntry } from "./replies.ts";

describe("classic replies", () => {
  it("encode exactly as the seed's server did", () => {
    expect(encodeClassicReply({ kind: "auth-ok", token: "t-1" })).toBe('{"status": "OK", "tokenid": "t-1"}\r\n\r\n');
    expect(encodeClassicReply({ kind: "inbox", messages: [] })).toBe('{"status": "OK", "messages": {}}\r\n\r\n');
    expect(encodeClassicReply({ kind: "error", code: "SESSION_NOT_FOUND", message: "session not found" })).toBe(
      '{"status": "ERROR", "message": "session not found", "code": "SESSION_NOT_FOUND"}\r\n\r\n',
    );
    expect(encodeClassicReply({ kind: "sent", id: "x", queued: false })).toMatch(/^\{"status": "OK", "message": "Message Sent"/);
  });

  it("group inbox entries by sender in order of first arrival", () => {
    const m = (from: string, text: string, sentAt: number): InboxEntry => ({
      id: `${from}-${sentAt}`,
      from,
      fromName: from.toUpperCase(),
      toName: "Me",
      text,
      sentAt,
    });
    const wire = encodeClassicReply({ kind: "inbox", messages: [m("b", "1", 1), m("a", "2", 2), m("b", "3", 3)] });
    const parsed = decodeClassicReply(wire.slice(0, -4));
    expect(parsed.status).toBe("OK");
    if (parsed.status !== "OK") return;
    expect(Object.keys(parsed.body.messages as object)).toEqual(["b", "a"]);
    expect(inboxEntriesOf(parsed.body).map((e) => e.text)).toEqual(["1", "3", "2"]);
  });

  it("property: inbox entries survive encode → split at any byte → decode", () => {
    const entry = fc.record({
      id: fc.uuid(),
      from: fc.stringMatching(/^[a-z]{1,8}(@[a-z]{1,8})?$/),
      fromName: fc.string({ unit: "grapheme", maxLength: 20 }),
      toName: fc.string({ unit: "grapheme", maxLength: 20 }),
      text: fc.string({ unit: "grapheme", maxLength: 80 }),
      sentAt: fc.integer({ min: 0, max: 4_000_000_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), fc.integer({ min: 1, max: 64 }), (entries, piece) => {
        const wire = encodeClassicReply({ kind: "inbox", messages: entries });
        const bodies: string[] = [];
        const decoder = new ReplyDecoder();
        const sink = {
          onReply: (b: string) => bodies.push(b),
          onFrameError: (e: Error) => {
            throw e;
          },
        };
        for (let i = 0; i < wire.length; i += piece) decoder.push(wire.slice(i, i + piece), sink);
        expect(bodies).toHaveLength(1);
        const parsed = decodeClassicReply(bodies[0] as string);
        if (parsed.status !== "OK") throw new Error("expected OK");
        const bySender = new Map<string, InboxEntry[]>();
        for (const e of entries) bySender.set(e.from, [...(bySender.get(e.from) ?? []), e]);
        expect(inboxEntriesOf(parsed.body)).toEqual([...bySender.values()].flat());
      }),
    );
  });

  it("rejects replies that are not JSON objects with a status", () => {
    expect(() => decodeClassicReply("nope")).toThrow(/malformed/);
    expect(() => decodeClassicReply('{"x": 1}')).toThrow(/malformed/);
    expect(decodeClassicReply('{"status": "ERROR", "message": "m", "code": "WHATEVER"}')).toEqual({
      status: "ERROR",
      code: undefined,
      message: "m",
    });
  });
});
