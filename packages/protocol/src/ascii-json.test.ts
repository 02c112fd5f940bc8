import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeAsciiJson } from "./ascii-json.ts";

describe("encodeAsciiJson", () => {
  it("matches Python's json.dumps default style", () => {
    expect(encodeAsciiJson({ status: "OK", tokenid: "abc" })).toBe('{"status": "OK", "tokenid": "abc"}');
    expect(encodeAsciiJson({ messages: {} })).toBe('{"messages": {}}');
    expect(encodeAsciiJson([1, true, null, "x"])).toBe('[1, true, null, "x"]');
  });

  it("escapes non-ASCII, astral characters as surrogate pairs, and controls", () => {
    expect(encodeAsciiJson("é")).toBe('"\\u00e9"');
    expect(encodeAsciiJson("👋")).toBe('"\\ud83d\\udc4b"');
    expect(encodeAsciiJson('a"b\\c\n\r\t\u0001\u007f')).toBe('"a\\"b\\\\c\\n\\r\\t\\u0001\u007f"');
  });

  it("skips undefined fields", () => {
    expect(encodeAsciiJson({ a: 1, b: undefined, c: 2 })).toBe('{"a": 1, "c": 2}');
  });

  it("property: output is pure ASCII and JSON.parse gives the value back", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = encodeAsciiJson(value as never);
        for (let i = 0; i < text.length; i++) expect(text.charCodeAt(i)).toBeLessThan(0x80);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
