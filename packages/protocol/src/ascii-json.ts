/**
 * JSON text in the exact style of Python's `json.dumps` defaults, which the seed's clients were
 * written against: `", "` and `": "` separators and every non-ASCII character escaped as
 * `\uXXXX` (astral characters as surrogate pairs). The seed client decodes each 64-byte read on
 * its own, so raw multi-byte UTF-8 in a reply could be split across reads and crash it; pure
 * ASCII cannot be.
 */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

const HEX = "0123456789abcdef";

function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7f || c === 0x22 || c === 0x5c) return true;
  }
  return false;
}

function escapeChar(c: number): string {
  switch (c) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return "\\\\";
    case 0x0a:
      return "\\n";
    case 0x0d:
      return "\\r";
    case 0x09:
      return "\\t";
    case 0x08:
      return "\\b";
    case 0x0c:
      return "\\f";
    default:
      return "\\u" + HEX[(c >> 12) & 15] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
  }
}

export function encodeAsciiString(s: string): string {
  if (!needsEscape(s)) return '"' + s + '"';
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // 0x7f is ASCII and Python leaves it as is.
    if (c < 0x20 || c > 0x7f || c === 0x22 || c === 0x5c) {
      out += s.slice(start, i) + escapeChar(c);
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

export function encodeAsciiJson(value: JsonValue): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return encodeAsciiString(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ", ";
      out += encodeAsciiJson(value[i] as JsonValue);
    }
    return out + "]";
  }
  let out = "{";
  let first = true;
  const record = value as { readonly [key: string]: JsonValue | undefined };
  for (const key in record) {
    const item = record[key];
    if (item === undefined) continue;
    if (!first) out += ", ";
    first = false;
    out += encodeAsciiString(key) + ": " + encodeAsciiJson(item);
  }
  return out + "}";
}
