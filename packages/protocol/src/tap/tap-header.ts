/**
 * A tap record's header line (docs/protocol.md, "Tap"), written as bytes straight into the
 * message being built: `{"seq":…,"ts":…,"<length field>":N,<route>}\n`. Written this way a header
 * costs a few digit loops and one copy of its route (made once per connection and direction);
 * made as a template string and then encoded it cost about 400 ns, more than the rest of a record.
 */

/** What the number after the time says: `chars` of frames follow, the frames are record `same`'s, or `arrived` bytes were read. */
export type TapLengthField = "chars" | "same" | "arrived";

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const SEQ = ascii('{"seq":');
const TS = ascii(',"ts":');
const LENGTH_FIELDS: Readonly<Record<TapLengthField, Uint8Array>> = {
  chars: ascii(',"chars":'),
  same: ascii(',"same":'),
  arrived: ascii(',"arrived":'),
};
const COMMA = 0x2c;
const CLOSE = 0x7d;
const NEWLINE = 0x0a;
const ZERO = 0x30;

/** The most bytes a header takes besides its route (three numbers of up to 16 digits and the punctuation). */
export const TAP_HEADER_BYTES_BESIDES_ROUTE = 96;

/** Numbers from here on are written in two parts, so that each part is done in 32-bit integers. */
const TWO_PARTS = 0x80000000;
const LOW_PART = 100_000_000;

/** Writes the digits of `n`, a non-negative integer, at `at`; returns where they end. */
function writeDigits(into: Uint8Array, at: number, n: number): number {
  if (n >= TWO_PARTS) {
    const high = Math.floor(n / LOW_PART);
    return writePadded(into, writeDigits(into, at, high), n - high * LOW_PART, 8);
  }
  let length = 1;
  for (let rest = n | 0; rest >= 10; rest = (rest / 10) | 0) length++;
  return writePadded(into, at, n, length);
}

/** Writes the last `length` digits of `n` (below 2^31), with leading zeros; returns where they end. */
function writePadded(into: Uint8Array, at: number, n: number, length: number): number {
  let rest = n | 0;
  for (let i = at + length - 1; i >= at; i--) {
    const tenth = (rest / 10) | 0;
    into[i] = ZERO + rest - tenth * 10;
    rest = tenth;
  }
  return at + length;
}

/** Copies a few bytes: for so few, a loop is cheaper than `set`. */
function writeShort(into: Uint8Array, at: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) into[at + i] = bytes[i] as number;
  return at + bytes.length;
}

/**
 * Writes a header at `at` (the caller makes room: TAP_HEADER_BYTES_BESIDES_ROUTE and the route's
 * length); returns where it ends. `route` is the UTF-8 of encodeTapRoute's text.
 */
export function writeTapHeader(
  into: Uint8Array,
  at: number,
  seq: number,
  ts: number,
  field: TapLengthField,
  n: number,
  route: Uint8Array,
): number {
  let end = writeDigits(into, writeShort(into, at, SEQ), seq);
  end = writeDigits(into, writeShort(into, end, TS), ts);
  end = writeDigits(into, writeShort(into, end, LENGTH_FIELDS[field]), n);
  into[end++] = COMMA;
  into.set(route, end);
  end += route.length;
  into[end++] = CLOSE;
  into[end++] = NEWLINE;
  return end;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A header as text, for a writer that builds its message as a string (and for tests). */
export function encodeTapHeader(seq: number, ts: number, field: TapLengthField, n: number, route: string): string {
  const routeBytes = encoder.encode(route);
  const into = new Uint8Array(TAP_HEADER_BYTES_BESIDES_ROUTE + routeBytes.length);
  return decoder.decode(into.subarray(0, writeTapHeader(into, 0, seq, ts, field, n, routeBytes)));
}
