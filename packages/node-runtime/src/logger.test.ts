import { describe, expect, it } from "vitest";
import { describeError } from "./describe-error.ts";
import { formatLogLine, logValue } from "./logger.ts";

describe("formatLogLine", () => {
  it("keeps a client's value with a newline on one line, quoted, so it cannot forge another entry", () => {
    const forged = "messi\n2026-12-04T00:00:00.000Z info [realm realm1] user logged in user=admin";
    const line = formatLogLine("info", "realm realm1", "login failed", { user: forged });
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toContain("\n");
    expect(line).toContain(`user="messi\\n2026-12-04T00:00:00.000Z info [realm realm1] user logged in user=admin"`);
  });

  it("quotes values with spaces, quotes, '=' or backslashes, and leaves plain ones bare", () => {
    expect(logValue("messi")).toBe("messi");
    expect(logValue(42)).toBe("42");
    expect(logValue("a b")).toBe('"a b"');
    expect(logValue("x=y")).toBe('"x=y"');
    expect(logValue('say "hi"')).toBe('"say \\"hi\\""');
    expect(logValue("")).toBe('""');
  });

  it("escapes the line breakers JSON leaves raw (DEL, C1 controls, U+2028, U+2029)", () => {
    const value = logValue("a\u2028b\u0085c\u007f");
    expect(value).toBe('"a\\u2028b\\u0085c\\u007f"');
    expect(formatLogLine("warn", "s", "a\u2029b")).toContain('"a\\u2029b"');
  });
});

describe("describeError", () => {
  it("gives the stack and each cause, and a thrown non-Error as its value", () => {
    const err = new Error("commit failed", { cause: new Error("disk full") });
    const text = describeError(err);
    expect(text).toMatch(/^Error: commit failed\n\s+at /);
    expect(text).toContain("caused by: Error: disk full");
    expect(describeError("plain")).toBe("plain");
    expect(describeError(new AggregateError([new Error("one")], "both failed"))).toContain("[0] Error: one");
  });
});
