import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeClassicRequest, encodeClassicRequest, type ClassicRequest } from "./requests.ts";

function ok(line: string): ClassicRequest {
  const decoded = decodeClassicRequest(line);
  if (decoded === undefined || !decoded.ok) throw new Error(`expected a request from ${JSON.stringify(line)}`);
  return decoded.request;
}

function errorCode(line: string): string {
  const decoded = decodeClassicRequest(line);
  if (decoded === undefined || decoded.ok) throw new Error(`expected an error from ${JSON.stringify(line)}`);
  return decoded.error.code;
}

describe("decodeClassicRequest", () => {
  it("reads the seed client's exact lines (trailing space, double space before text)", () => {
    expect(ok("auth messi surabaya ")).toEqual({ kind: "auth", user: "messi", password: "surabaya" });
    expect(ok("send tok henderson  apa kabar disana? ")).toEqual({
      kind: "send",
      token: "tok",
      to: { user: "henderson", realm: undefined },
      text: "apa kabar disana?",
    });
    expect(ok("inbox tok ")).toEqual({ kind: "inbox", token: "tok" });
    expect(ok("group tok batak origin ")).toEqual({ kind: "group", token: "tok", group: "batak", realm: undefined });
    expect(ok("group tok batak@realm1")).toEqual({ kind: "group", token: "tok", group: "batak", realm: "realm1" });
  });

  it("keeps the inner spacing of message text and treats keywords in it as text", () => {
    expect(ok("send t u a  b   c")).toMatchObject({ text: "a  b   c" });
    expect(ok("send t u server send check group x")).toMatchObject({ text: "server send check group x" });
  });

  it("accepts user@realm recipients", () => {
    expect(ok("send t james@realm2 hi")).toMatchObject({ to: { user: "james", realm: "realm2" } });
  });

  it("is case-insensitive in the command word only", () => {
    expect(ok("AUTH Messi pw")).toEqual({ kind: "auth", user: "Messi", password: "pw" });
  });

  it("returns undefined for blank lines", () => {
    expect(decodeClassicRequest("")).toBeUndefined();
    expect(decodeClassicRequest("   \t ")).toBeUndefined();
  });

  it("gives typed errors for bad requests", () => {
    expect(errorCode("hello")).toBe("UNKNOWN_COMMAND");
    expect(errorCode("server send messi james hi")).toBe("UNKNOWN_COMMAND");
    expect(errorCode("check group messi batak other")).toBe("UNKNOWN_COMMAND");
    expect(errorCode("auth messi")).toBe("MISSING_ARGUMENT");
    expect(errorCode("send tok")).toBe("MISSING_ARGUMENT");
    expect(errorCode("send tok henderson   ")).toBe("EMPTY_MESSAGE");
    expect(errorCode("send tok bad@@name hi")).toBe("INVALID_ARGUMENT");
    expect(errorCode("inbox")).toBe("MISSING_ARGUMENT");
    expect(errorCode("group tok")).toBe("MISSING_ARGUMENT");
    expect(errorCode("group tok batak other")).toBe("INVALID_ARGUMENT");
    expect(errorCode("group tok bad/name")).toBe("INVALID_ARGUMENT");
  });

  const name = fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/);
  const word = fc.stringMatching(/^[^\s]{1,40}$/);
  const text = fc
    .string({ unit: "grapheme", minLength: 1, maxLength: 60 })
    .filter((s) => !/[\r\n]/.test(s) && s.trim() === s && s.length > 0 && !/^[ \t]|[ \t]$/.test(s));
  const request: fc.Arbitrary<ClassicRequest> = fc.oneof(
    fc.record({ kind: fc.constant("auth" as const), user: name, password: word }),
    fc.record({
      kind: fc.constant("send" as const),
      token: word,
      to: fc.record({ user: name, realm: fc.option(name, { nil: undefined }) }),
      text,
    }),
    fc.record({ kind: fc.constant("inbox" as const), token: word }),
    fc.record({ kind: fc.constant("logout" as const), token: word }),
    fc.record({ kind: fc.constant("group" as const), token: word, group: name, realm: fc.option(name, { nil: undefined }) }),
  );

  it("property: decode(encode(x)) is x", () => {
    fc.assert(
      fc.property(request, (req) => {
        const line = encodeClassicRequest(req);
        expect(line.endsWith("\r\n")).toBe(true);
        expect(ok(line.slice(0, -2))).toEqual(req);
      }),
    );
  });

  it("property: any line decodes to a request, an error or nothing, never throws", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (line) => {
        let d: ReturnType<typeof decodeClassicRequest>;
        expect(() => (d = decodeClassicRequest(line))).not.toThrow();
        // Blank is spaces and tabs only: what telnet sends for Enter is not a request, nor an error.
        if (/^[ \t]*$/.test(line)) expect(d).toBeUndefined();
        if (d?.ok === false) expect(d.error.message).toMatch(/\S/);
      }),
    );
  });
});
