import type { TapRecord } from "./tap-event.ts";
import { encodeTapHeader } from "./tap-header.ts";

/**
 * The tap's wire format (docs/protocol.md, "Tap"): each WebSocket message is one or more records,
 * each a JSON header line whose `chars` says how long the frames after it are, then the frames
 * as they passed (UTF-16 code units, so the text is sliced, never escaped or parsed, by either
 * side). A header with `same` instead of `chars` has no frames after it: they are those of the
 * earlier record of the same message with that `seq` (a line said to a group, written to each
 * member). A header with `arrived` has no frames either: a read of that many bytes, whose frames
 * are in the sender's tap. A `{"dropped":N}` header says how many records this reader missed.
 */

/** What a tap message holds: its records, and how many records the process left out before them. */
export interface TapMessage {
  readonly records: TapRecord[];
  readonly dropped: number;
}

export type TapWireError =
  | { readonly kind: "bad-header"; readonly at: number }
  | { readonly kind: "short-frames"; readonly at: number }
  | { readonly kind: "unknown-same"; readonly at: number };

interface TapHeader extends Omit<TapRecord, "frames"> {
  readonly chars?: number;
  readonly same?: number;
  readonly arrived?: number;
  readonly dropped?: number;
}

/** What stays the same for every record of one direction of one connection. */
export type TapRoute = Omit<TapRecord, "seq" | "ts" | "frames">;

/** A route's header fields as JSON, made once per connection and direction (encodeTapRecord takes it). */
export function encodeTapRoute(route: TapRoute): string {
  return JSON.stringify(route).slice(1, -1);
}

/** A record as it is sent: `{"seq":…,"ts":…,"chars":N,…}\n` then N characters of frames, which are not escaped. */
export function encodeTapRecord(seq: number, ts: number, route: string, frames: string): string {
  return `${encodeTapHeader(seq, ts, "chars", frames.length, route)}${frames}`;
}

/** The frames of the record numbered `seq` among `records`, looked for from the last (a repeat names a recent one). */
function framesOf(records: readonly TapRecord[], seq: number): string | undefined {
  for (let i = records.length - 1; i >= 0; i--) if ((records[i] as TapRecord).seq === seq) return (records[i] as TapRecord).frames;
  return undefined;
}

export function decodeTapMessage(text: string): TapMessage | TapWireError {
  const records: TapRecord[] = [];
  let dropped = 0;
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf("\n", at);
    let header: TapHeader;
    try {
      header = JSON.parse(nl === -1 ? text.slice(at) : text.slice(at, nl)) as TapHeader;
    } catch {
      return { kind: "bad-header", at };
    }
    if (typeof header !== "object" || header === null) return { kind: "bad-header", at };
    const start = nl === -1 ? text.length : nl + 1;
    if (typeof header.dropped === "number") {
      dropped += header.dropped;
      at = start;
      continue;
    }
    if (typeof header.seq !== "number") return { kind: "bad-header", at };
    if (typeof header.arrived === "number") {
      records.push({ ...header, frames: "" });
      at = start;
      continue;
    }
    const { same, chars, ...passage } = header;
    if (typeof same === "number") {
      const frames = framesOf(records, same);
      if (frames === undefined) return { kind: "unknown-same", at };
      records.push({ ...passage, frames });
      at = start;
      continue;
    }
    if (typeof chars !== "number") return { kind: "bad-header", at };
    if (start + chars > text.length) return { kind: "short-frames", at };
    records.push({ ...passage, frames: text.slice(start, start + chars) });
    at = start + chars;
  }
  return { records, dropped };
}
