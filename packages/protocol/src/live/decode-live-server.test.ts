import { describe, expect, it } from "vitest";
import { formatGroupRef, labelFor } from "../names.ts";
import { decodeLiveServerFrame } from "./decode-live-server.ts";

describe("decodeLiveServerFrame", () => {
  it("sorts a server line into an event, a success or an error", () => {
    expect(decodeLiveServerFrame('{"ev":"notice","text":"hi"}')).toEqual({ kind: "event", event: { ev: "notice", text: "hi" } });
    expect(decodeLiveServerFrame('{"re":3,"ok":true,"removed":2}')).toEqual({ kind: "ok", re: 3, body: { re: 3, ok: true, removed: 2 } });
    expect(decodeLiveServerFrame('{"re":null,"ok":false,"code":"FRAME_TOO_LARGE","message":"too big"}')).toEqual({ kind: "error", re: null, code: "FRAME_TOO_LARGE", message: "too big" });
  });

  it("calls anything else invalid rather than guessing", () => {
    for (const line of ["not json", "[1]", '{"ev":"bogus"}', '{"ok":true}', "null"]) expect(decodeLiveServerFrame(line).kind).toBe("invalid");
  });
});

describe("group references and labels", () => {
  it("write a group as name@home and show names bare only on their own realm", () => {
    expect(formatGroupRef({ name: "batak", home: "realm1" })).toBe("batak@realm1");
    expect(labelFor("messi", "realm1", "realm1")).toBe("messi");
    expect(labelFor("messi", "realm1", "realm2")).toBe("messi@realm1");
  });
});
