/**
 * What the tap records (docs/design/tap.md). A process records what passes on each connection as
 * it is written or read, a write or a read at a time: one TapRecord may carry several frames. A
 * viewer splits it into TapEvents, one per frame (tapEventsOf). Kind and message ids are read from
 * the frame by whoever shows it (describeTapFrame), not by the server that records it.
 */

/** The protocols a frame can travel in. */
export const TAP_LINKS = ["classic", "live", "websocket", "federation"] as const;
export type TapLink = (typeof TAP_LINKS)[number];

export type TapDirection = "in" | "out";

/** Where a recorded stretch of a connection went, and when. */
interface TapPassage {
  /** Per recording process, from 1, with no gaps (a gap means records were dropped). */
  readonly seq: number;
  /** Milliseconds since the epoch. */
  readonly ts: number;
  /** The process that recorded it: a realm's name, or `bridge-<realm>`. */
  readonly process: string;
  readonly link: TapLink;
  /** The connection within that process, stable while it lasts (`c1`, `c2`, …). */
  readonly conn: string;
  /** Whose end the frames left. */
  readonly from: string;
  /** Whose end the frames reached. */
  readonly to: string;
  readonly dir: TapDirection;
}

/** One write, or the complete frames of one read, as the tap sends it: frames separated by line ends, secrets masked. */
export interface TapRecord extends TapPassage {
  readonly frames: string;
  /**
   * An arrival: a read of this many bytes of whole frames, left out here (`frames` is empty)
   * because they are in the sending process's tap, which every reader of this one reads too
   * (docs/design/tap.md, "Arrivals").
   */
  readonly arrived?: number;
}

/** One frame of a record. */
export interface TapEvent extends TapPassage {
  /** The frame's place in its record, from 0. */
  readonly part: number;
  /** The frame without its line terminator, its secrets masked. */
  readonly frame: string;
}

/** What stands where a secret was. */
export const MASK = "•••";

/** A record's frames, one event each; the blank lines that end classic replies are not frames, and an arrival has none. */
export function tapEventsOf(record: TapRecord): TapEvent[] {
  const { frames, ...passage } = record;
  const events: TapEvent[] = [];
  for (const raw of frames.split("\n")) {
    const frame = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (frame.length > 0) events.push({ ...passage, part: events.length, frame });
  }
  return events;
}
