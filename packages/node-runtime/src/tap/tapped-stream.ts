import { encodeTapRoute, type TapLink } from "@realmchat/protocol";
import type { TapRecorder } from "./tap-recorder.ts";

/** What the tap needs of a stream: its incoming bytes and its writes. A socket is one. */
export interface TappableStream {
  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  write(text: string, done?: (error?: Error | null) => void): boolean;
  end(): unknown;
  end(text: string): unknown;
}

export interface TapEnds {
  /** This process's end (`realm1`, `bridge-realm1`). */
  readonly local: string;
  /**
   * The other end (a client's address, `bridge-realm2`). Left out for a federation link that was
   * dialed in from a peer bridge: its `hello` names it (docs/protocol.md, "Federation handshake").
   */
  readonly remote?: string;
  /** The link's protocol; for a client socket, left out: its first byte tells (`{` is live). */
  readonly link?: TapLink;
}

const OPEN_BRACE = 0x7b;
const NEWLINE = 0x0a;
const UNNAMED_PEER = "bridge-?";
const NO_ROUTE = new Uint8Array(0);

/** The bridge whose `hello` starts these frames, or still unnamed: they do not start with one (read once per link). */
function peerNamedBy(frames: string): string {
  const nl = frames.indexOf("\n");
  try {
    const frame = JSON.parse(nl === -1 ? frames : frames.slice(0, nl)) as { t?: unknown; realm?: unknown };
    if (frame.t === "hello" && typeof frame.realm === "string") return `bridge-${frame.realm}`;
  } catch {
    // Not JSON: the link's own decoder answers it; the tap shows it as it is.
  }
  return UNNAMED_PEER;
}

/** A read that ends mid-frame is held this long at most before it is recorded as it is. */
const MAX_HELD_BYTES = 1024 * 1024;

/**
 * Both directions of one tapped connection: each write as it is, each read up to its last line end
 * (the rest waits for the next read), so a record holds whole frames; a read from a process whose
 * tap the readers also read, as an arrival (TapRecorder.recordArrival).
 */
class TappedConnection {
  readonly #recorder: TapRecorder;
  readonly #conn: string;
  readonly #local: string;
  #remote: string;
  #link: TapLink | undefined;
  #held: Buffer | undefined;
  /** Bytes read since the last line end of a read recorded as an arrival: only counted, never held. */
  #arrivingBytes = 0;
  /** Each direction's header fields as UTF-8, made when the link and both ends are known. */
  #routeIn: Uint8Array = NO_ROUTE;
  #routeOut: Uint8Array = NO_ROUTE;

  constructor(recorder: TapRecorder, ends: TapEnds) {
    this.#recorder = recorder;
    this.#conn = recorder.nextConnection();
    this.#local = ends.local;
    this.#remote = ends.remote ?? UNNAMED_PEER;
    this.#link = ends.link;
    this.#route();
  }

  #route(): void {
    if (this.#link === undefined) return;
    const common = { process: this.#recorder.process, link: this.#link, conn: this.#conn };
    this.#routeIn = Buffer.from(encodeTapRoute({ ...common, from: this.#remote, to: this.#local, dir: "in" }));
    this.#routeOut = Buffer.from(encodeTapRoute({ ...common, from: this.#local, to: this.#remote, dir: "out" }));
  }

  incoming(chunk: Buffer): void {
    if (this.#link === undefined) {
      let i = 0;
      while (i < chunk.length && (chunk[i] === 0x20 || chunk[i] === 0x0a || chunk[i] === 0x0d || chunk[i] === 0x09)) i++;
      if (i === chunk.length) return;
      this.#link = chunk[i] === OPEN_BRACE ? "live" : "classic";
      this.#route();
    }
    // Decided at a frame's start: a frame begun as an arrival ends as one, and one begun whole ends whole.
    const fromTappedPeer = this.#remote !== UNNAMED_PEER && this.#recorder.readElsewhere(this.#remote);
    if (this.#arrivingBytes > 0 || (this.#held === undefined && fromTappedPeer)) {
      this.#arrive(chunk);
      return;
    }
    const bytes = this.#held === undefined ? chunk : Buffer.concat([this.#held, chunk]);
    const end = bytes.lastIndexOf(NEWLINE) + 1;
    if (end === 0 && bytes.length < MAX_HELD_BYTES) {
      this.#held = bytes;
      return;
    }
    const whole = end === 0 ? bytes.length : end;
    this.#held = whole === bytes.length ? undefined : bytes.subarray(whole);
    const frames = bytes.toString("utf8", 0, whole);
    if (this.#remote === UNNAMED_PEER) {
      this.#remote = peerNamedBy(frames);
      this.#route();
    }
    this.#recorder.record(this.#link, "in", this.#routeIn, frames);
  }

  /** Counts a read from a process whose tap the readers also read, and records its whole frames as an arrival. */
  #arrive(chunk: Buffer): void {
    const end = chunk.lastIndexOf(NEWLINE) + 1;
    if (end === 0) {
      this.#arrivingBytes += chunk.length;
      return;
    }
    this.#recorder.recordArrival(this.#routeIn, this.#arrivingBytes + end);
    this.#arrivingBytes = chunk.length - end;
  }

  outgoing(text: string): void {
    if (text.length === 0) return;
    if (this.#link === undefined) {
      // The server spoke first: the classic protocol's way (the live one waits for its client).
      this.#link = "classic";
      this.#route();
    }
    this.#recorder.record(this.#link, "out", this.#routeOut, text);
  }
}

/**
 * Records every frame `stream` carries (docs/design/tap.md), without standing between it and its
 * user: incoming bytes through a listener of its own, outgoing text by wrapping this stream's
 * `write` and `end`. Used only where a process was started with `--tap`.
 */
export function tapStream(stream: TappableStream, recorder: TapRecorder, ends: TapEnds): void {
  const tapped = new TappedConnection(recorder, ends);
  stream.on("data", (chunk: Buffer) => tapped.incoming(chunk));
  const write = stream.write.bind(stream);
  const end = stream.end.bind(stream);
  stream.write = (text: string, done?: (error?: Error | null) => void): boolean => {
    tapped.outgoing(text);
    return write(text, done);
  };
  stream.end = (text?: string): unknown => {
    if (text === undefined) return end();
    tapped.outgoing(text);
    return end(text);
  };
}
