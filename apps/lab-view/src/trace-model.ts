import { describeTapFrame, type TapFrameDescription } from "@realmchat/protocol/tap";
import { isLabProcess, type LabEvent } from "./lab-event.ts";

/** A frame as the page shows it: one hop between two ends, described. */
export interface Hop {
  readonly event: LabEvent;
  /** The ends as the page names them: a process, or a client (`messi@realm1`, or its address before it logs in). */
  readonly from: string;
  readonly to: string;
  readonly about: TapFrameDescription;
}

export interface HopFilter {
  readonly hideHeartbeats: boolean;
  readonly hidePresence: boolean;
}

/**
 * The user logged in on each client connection, learned from its `auth` (classic or live). A
 * process that restarted numbers its records and connections from 1 again: a lower `seq` starts a
 * new life of it, whose `c1` is another connection.
 */
export class ClientNames {
  readonly #byConnection = new Map<string, string>();
  readonly #lastSeq = new Map<string, number>();
  readonly #life = new Map<string, number>();

  #key(event: LabEvent): string {
    return `${event.process}#${this.#life.get(event.process) ?? 0} ${event.conn}`;
  }

  learn(event: LabEvent): void {
    const last = this.#lastSeq.get(event.process);
    if (last !== undefined && event.seq < last) this.#life.set(event.process, (this.#life.get(event.process) ?? 0) + 1);
    this.#lastSeq.set(event.process, event.seq);
    if (event.dir !== "in" || isLabProcess(event.from)) return;
    const key = this.#key(event);
    if (this.#byConnection.has(key)) return;
    const classic = /^\s*auth\s+(\S+)/i.exec(event.frame);
    if (classic !== null) this.#byConnection.set(key, `${classic[1]}@${event.process}`);
    else if (event.frame.includes('"op":"auth"')) {
      const user = /"user":"([^"]+)"/.exec(event.frame);
      if (user !== null) this.#byConnection.set(key, `${user[1]}@${event.process}`);
    }
  }

  /** An end of `event` as the page names it. */
  nameOf(event: LabEvent, end: string): string {
    if (isLabProcess(end)) return end;
    return this.#byConnection.get(this.#key(event)) ?? `${end} (${event.process})`;
  }
}

/**
 * The hops of a trace: each frame once. A frame between two tapped processes is recorded by both;
 * the sender's record is kept. A frame from or to a client is the realm's record.
 */
export function hopsOf(events: readonly LabEvent[], names: ClientNames): Hop[] {
  const hops: Hop[] = [];
  for (const event of events) {
    names.learn(event);
    if (event.dir === "in" && isLabProcess(event.from)) continue;
    hops.push({
      event,
      from: names.nameOf(event, event.from),
      to: names.nameOf(event, event.to),
      about: describeTapFrame(event.link, event.frame),
    });
  }
  return hops;
}

export function passesFilter(hop: Hop, filter: HopFilter): boolean {
  if (filter.hideHeartbeats && hop.about.category === "heartbeat") return false;
  if (filter.hidePresence && hop.about.category === "presence") return false;
  return true;
}

/**
 * The hops of one frame's journey: every hop that carries one of its message ids, and the request
 * a client made on the connection just before a reply in the journey (the classic `send` that
 * made the message has no id yet).
 */
export function journeyOf(selected: Hop, hops: readonly Hop[]): Set<number> {
  const ids = new Set(selected.about.ids);
  const journey = new Set<number>([selected.event.n]);
  if (ids.size === 0) return journey;
  const lastInOnConnection = new Map<string, Hop>();
  for (const hop of hops) {
    const key = `${hop.event.process} ${hop.event.conn}`;
    if (hop.about.ids.some((id) => ids.has(id))) {
      journey.add(hop.event.n);
      const request = lastInOnConnection.get(key);
      if (hop.about.category === "reply" && request !== undefined) journey.add(request.event.n);
    }
    if (hop.event.dir === "in" && !isLabProcess(hop.event.from)) lastInOnConnection.set(key, hop);
  }
  return journey;
}

/** A frame that changes what a bridge holds: a `batch` it took in, or the `acks` that answer one. */
export interface QueueMark {
  readonly n: number;
  readonly bridge: string;
  readonly taken: boolean;
  readonly ids: readonly string[];
}

/**
 * The frame's mark on its bridge's queue, if it makes one (read once per frame, as it comes): read
 * from the record of the process that wrote it to the bridge, as the lab's taps record a frame
 * between two of its processes once, at the sender (docs/design/tap.md, "Arrivals").
 */
export function queueMarkOf(event: LabEvent): QueueMark | undefined {
  if (event.dir !== "out" || !event.to.startsWith("bridge-")) return undefined;
  const about = describeTapFrame(event.link, event.frame);
  if (about.kind !== "batch" && about.kind !== "acks") return undefined;
  return { n: event.n, bridge: event.to, taken: about.kind === "batch", ids: about.ids };
}

/** Messages each bridge holds at frame `upTo`: taken from its realm or peer (`batch` in) and not yet answered (`acks` in). */
export function bridgeQueues(marks: readonly QueueMark[], upTo: number): Map<string, number> {
  const held = new Map<string, Set<string>>([
    ["bridge-realm1", new Set()],
    ["bridge-realm2", new Set()],
  ]);
  for (const mark of marks) {
    if (mark.n > upTo) break;
    const queue = held.get(mark.bridge);
    if (queue === undefined) continue;
    for (const id of mark.ids) {
      if (mark.taken) queue.add(id);
      else queue.delete(id);
    }
  }
  return new Map([...held].map(([bridge, ids]) => [bridge, ids.size]));
}
