import type { BenchClient } from "./bench-system.ts";

/** One sender: its client, its id in the message texts, and how it sends a line. */
export interface LoopSender {
  readonly id: number;
  readonly client: BenchClient;
  readonly send: (text: string) => void;
}

/** A receiving client and the sender ids whose lines it counts (a group member skips its own). */
export interface LoopReceiver {
  readonly client: BenchClient;
  readonly counts: (sender: number) => boolean;
}

export interface LoopOptions {
  readonly senders: readonly LoopSender[];
  readonly receivers: readonly LoopReceiver[];
  /** Receivers each line must reach before it stops counting as in flight. */
  readonly fanOut: number;
  /** Lines per sender. */
  readonly count: number;
  /** Lines a sender keeps in flight (closed loop); with `ratePerSender`, lines are paced instead. */
  readonly window: number;
  /** Lines per second per sender, sent on a clock whatever is in flight (paced, for latency). */
  readonly ratePerSender?: number;
  /** Gives up waiting for the last deliveries after this long. */
  readonly timeoutMs?: number;
}

export interface LoopResult {
  /** Lines times the receivers that got them, as counted at the receivers. */
  readonly deliveries: number;
  readonly expected: number;
  readonly seconds: number;
  /** Send-to-receipt times in ms, one per delivery. */
  readonly latencies: Float64Array;
  /** Lines a receiver got twice, or before one sent earlier by the same sender. */
  readonly duplicatedOrReordered: number;
}

/**
 * Drives senders and counts at the receivers: each line carries its sender, a sequence number and
 * the time it was sent (`b <sender> <seq> <ms>`), so receivers measure latency and check order
 * and duplicates per sender. Closed loop: a sender sends its next line when one of its lines has
 * reached all of its receivers.
 */
export function runDeliveryLoop(options: LoopOptions): Promise<LoopResult> {
  const { senders, receivers, fanOut, count, window } = options;
  const expected = senders.length * count * fanOut;
  const latencies = new Float64Array(expected);
  let deliveries = 0;
  let bad = 0;
  const sent = new Map<number, number>();
  const inFlight = new Map<number, number>();
  const reached = new Map<string, number>();
  const bySender = new Map(senders.map((s) => [s.id, s]));
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const sendOne = (s: LoopSender): void => {
    const seq = sent.get(s.id) ?? 0;
    sent.set(s.id, seq + 1);
    inFlight.set(s.id, (inFlight.get(s.id) ?? 0) + 1);
    s.send(`b ${s.id} ${seq} ${performance.now()}`);
  };
  const pump = (s: LoopSender): void => {
    while ((inFlight.get(s.id) ?? 0) < window && (sent.get(s.id) ?? 0) < count) sendOne(s);
  };
  for (const r of receivers) {
    const last = new Map<number, number>();
    r.client.onText = (text) => {
      if (!text.startsWith("b ")) return;
      const a = text.indexOf(" ", 2);
      const b = text.indexOf(" ", a + 1);
      const sender = Number(text.slice(2, a));
      if (!r.counts(sender)) return;
      const seq = Number(text.slice(a + 1, b));
      const now = performance.now();
      if (seq <= (last.get(sender) ?? -1)) bad++;
      last.set(sender, seq);
      if (deliveries < expected) latencies[deliveries] = now - Number(text.slice(b + 1));
      deliveries++;
      const key = `${sender} ${seq}`;
      const n = (reached.get(key) ?? 0) + 1;
      if (n < fanOut) reached.set(key, n);
      else {
        reached.delete(key);
        inFlight.set(sender, (inFlight.get(sender) ?? 1) - 1);
        const s = bySender.get(sender);
        if (s !== undefined && options.ratePerSender === undefined) pump(s);
      }
      if (deliveries >= expected) finish();
    };
  }
  const started = performance.now();
  const timers: NodeJS.Timeout[] = [];
  if (options.ratePerSender === undefined) for (const s of senders) pump(s);
  else {
    const every = 1000 / options.ratePerSender;
    for (const s of senders) {
      const timer = setInterval(() => {
        if ((sent.get(s.id) ?? 0) < count) sendOne(s);
      }, every);
      timers.push(timer);
    }
  }
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, options.timeoutMs ?? 120_000).unref());
  return Promise.race([done, timeout]).then(() => {
    for (const t of timers) clearInterval(t);
    const seconds = (performance.now() - started) / 1000;
    return { deliveries, expected, seconds, latencies: latencies.subarray(0, Math.min(deliveries, expected)), duplicatedOrReordered: bad };
  });
}
