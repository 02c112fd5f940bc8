import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../error-codes.ts";
import { decodeLiveRequest } from "./decode-live.ts";

describe("decodeLiveRequest", () => {
  it("reads each op and keeps only its declared fields", () => {
    expect(decodeLiveRequest('{"id":1,"op":"hello","v":2}')).toEqual({ ok: true, request: { op: "hello", id: 1, v: 2 } });
    expect(decodeLiveRequest('{"id":"a","op":"send","to":"james@realm2","text":"hé 👋","x":1}')).toEqual({
      ok: true,
      request: { op: "send", id: "a", to: "james@realm2", text: "hé 👋" },
    });
    expect(decodeLiveRequest('{"id":2,"op":"inbox"}')).toEqual({ ok: true, request: { op: "inbox", id: 2, limit: undefined } });
    expect(decodeLiveRequest('{"id":3,"op":"join","group":"batak@realm1"}')).toMatchObject({ ok: true });
  });

  it("reads the optional fields: a client id on send and say, a page size on history", () => {
    expect(decodeLiveRequest('{"id":1,"op":"say","group":"g","text":"hi","cid":"c-1"}')).toEqual({
      ok: true,
      request: { op: "say", id: 1, group: "g", text: "hi", cid: "c-1" },
    });
    expect(decodeLiveRequest('{"id":2,"op":"history","group":"g@realm2","before":"e1"}')).toEqual({
      ok: true,
      request: { op: "history", id: 2, group: "g@realm2", before: "e1", limit: undefined },
    });
    expect(decodeLiveRequest('{"id":3,"op":"send","to":"a","text":"x","cid":""}')).toMatchObject({ ok: false, code: "INVALID_ARGUMENT" });
    expect(decodeLiveRequest(`{"id":4,"op":"send","to":"a","text":"x","cid":"${"c".repeat(65)}"}`)).toMatchObject({ ok: false });
  });

  it("names a conversation as the reader's realm does: #group, #group@realm, @user, @user@realm", () => {
    for (const conversation of ["#batak", "#batak@realm1", "@messi", "@messi@realm1"])
      expect(decodeLiveRequest(JSON.stringify({ id: 1, op: "read", conversation, ts: 5 }))).toEqual({
        ok: true,
        request: { op: "read", id: 1, conversation, ts: 5 },
      });
    for (const conversation of ["batak", "#", "@a b", "#x@y@z", 7])
      expect(decodeLiveRequest(JSON.stringify({ id: 1, op: "read", conversation, ts: 5 }))).toMatchObject({
        ok: false,
        code: "INVALID_ARGUMENT",
      });
    expect(decodeLiveRequest('{"id":1,"op":"read","conversation":"#g","ts":-1}')).toMatchObject({ ok: false, code: "INVALID_ARGUMENT" });
  });

  it("answers bad requests with the request's id when it has one", () => {
    expect(decodeLiveRequest("nope")).toMatchObject({ ok: false, id: null, code: "INVALID_ARGUMENT" });
    expect(decodeLiveRequest('{"op":"groups"}')).toMatchObject({ ok: false, id: null, code: "MISSING_ARGUMENT" });
    expect(decodeLiveRequest('{"id":7,"op":"launch"}')).toMatchObject({ ok: false, id: 7, code: "UNKNOWN_COMMAND" });
    expect(decodeLiveRequest('{"id":8,"op":"send","to":"james"}')).toMatchObject({ ok: false, id: 8, code: "MISSING_ARGUMENT" });
    expect(decodeLiveRequest('{"id":9,"op":"send","to":"bad name","text":"x"}')).toMatchObject({
      ok: false,
      id: 9,
      code: "INVALID_ARGUMENT",
    });
    expect(decodeLiveRequest('{"id":10,"op":"say","group":"g","text":"   "}')).toMatchObject({ ok: false, id: 10, code: "EMPTY_MESSAGE" });
    expect(decodeLiveRequest('{"id":11,"op":"inbox","limit":-1}')).toMatchObject({ ok: false, id: 11, code: "INVALID_ARGUMENT" });
    // A user name is a name on both protocols: one holding a newline would forge a log line.
    const forged = JSON.stringify({ id: 12, op: "auth", user: "messi\n2026-12-04T00:00:00Z info login ok user=admin", password: "x" });
    expect(decodeLiveRequest(forged)).toMatchObject({ ok: false, id: 12, code: "INVALID_ARGUMENT" });
    expect(decodeLiveRequest('{"id":13,"op":"auth","user":"a b","password":"x"}')).toMatchObject({ ok: false, code: "INVALID_ARGUMENT" });
  });

  it("property: any JSON decodes to a request or a typed error, never throws", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        let d: ReturnType<typeof decodeLiveRequest> | undefined;
        expect(() => (d = decodeLiveRequest(JSON.stringify(value)))).not.toThrow();
        // A request keeps the id it came with; a refusal names its code in its message.
        if (d?.ok === true) expect(value).toMatchObject({ id: d.request.id, op: d.request.op });
        else expect(d?.message.startsWith(ERROR_CODES[d.code])).toBe(true);
      }),
    );
  });
});
