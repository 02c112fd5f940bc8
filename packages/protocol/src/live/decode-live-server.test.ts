import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatGroupRef, labelFor } from "../names.ts";
import { decodeLiveServerFrame } from "./decode-live-server.ts";
import { decodeLiveRequest } from "./decode-live.ts";

describe("decodeLiveServerFrame", () => {
  it("sorts a server line into an event, a success or an error", () => {
    expect(decodeLiveServerFrame('{"ev":"notice","text":"hi"}')).toEqual({ kind: "event", event: { ev: "notice", text: "hi" } });
    expect(decodeLiveServerFrame('{"ev":"moved","group":"g","from":"realm2","home":"realm1","text":"t"}')).toMatchObject({
      kind: "event",
      event: { ev: "moved", home: "realm1" },
    });
    expect(decodeLiveServerFrame('{"re":3,"ok":true,"removed":2}')).toEqual({ kind: "ok", re: 3, body: { re: 3, ok: true, removed: 2 } });
    expect(decodeLiveServerFrame('{"re":null,"ok":false,"code":"FRAME_TOO_LARGE","message":"too big"}')).toEqual({
      kind: "error",
      re: null,
      code: "FRAME_TOO_LARGE",
      message: "too big",
    });
  });

  it("calls anything else invalid rather than guessing", () => {
    for (const line of ["not json", "[1]", '{"ev":"bogus"}', '{"ok":true}', "null"])
      expect(decodeLiveServerFrame(line).kind).toBe("invalid");
  });
});

describe("group references and labels", () => {
  it("write a group as name@home and show names bare only on their own realm", () => {
    expect(formatGroupRef({ name: "batak", home: "realm1" })).toBe("batak@realm1");
    expect(labelFor("messi", "realm1", "realm1")).toBe("messi");
    expect(labelFor("messi", "realm1", "realm2")).toBe("messi@realm1");
  });
});

describe("the live decoders under arbitrary input", () => {
  it("never throw: every line is a typed frame or a typed refusal", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (line) => {
          const request = decodeLiveRequest(line);
          if (!request.ok) expect(request.message.length).toBeGreaterThan(0);
          expect(["event", "ok", "error", "invalid"]).toContain(decodeLiveServerFrame(line).kind);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
