/** Where a frame came from, as the bridge counts it. */
export type FrameSource = "realm" | "peer";

/**
 * What a bridge has carried since it started, as plain counts (an addition each); the metrics
 * listener reads them at each scrape (docs/operating.md, "Metrics and health").
 */
export class BridgeMeter {
  /** Frames taken from the realm server and from peer bridges, by frame type. */
  readonly frames = { realm: new Map<string, number>(), peer: new Map<string, number>() };
  /** Private messages in `dm` and `batch` frames, from the realm (to send on) and from peers (to deliver). */
  readonly privateMessages = { realm: 0, peer: 0 };

  count(source: FrameSource, type: string, messages: number): void {
    const frames = this.frames[source];
    frames.set(type, (frames.get(type) ?? 0) + 1);
    this.privateMessages[source] += messages;
  }
}
