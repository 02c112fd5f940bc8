import { LiveClient, type ServerAddress } from "@realmchat/cli";
import { describeError } from "@realmchat/node-runtime";
import type { LiveEvent } from "@realmchat/protocol";
import { quantile } from "./latency-stats.ts";

type Kind = "local" | "cross" | "group";

interface Sent {
  readonly kind: Kind;
  readonly at: number;
  /** Set once the server answered: "sent" (stored), "queued", or the error code. */
  answer: string | undefined;
  receivedAt: number | undefined;
}

export interface HonestFigures {
  /** Acknowledged by the server (stored or queued). */
  readonly sent: number;
  readonly delivered: number;
  readonly lost: number;
  /** Refused with an error reply (a limit): not lost, the sender was told. */
  readonly refused: number;
  /** Send to arrival at the receiving client, over messages stored at once (not queued). */
  readonly p99Ms: number;
  /** The same over the messages within realm1 only (private and group). */
  readonly p99LocalMs: number;
}

export const HONEST_GROUP = "honest";
const TICK_MS = 100;

/**
 * Honest users chatting while attacks run: every 100 ms hA (realm1) sends hB (realm1) and jA
 * (realm2) a private message and says something in a group hB is in, all over the live
 * protocol. Receivers count what arrives (pushes, or the inbox after a reconnect) and when.
 */
/** What goes wrong beside the counted figures (an ack lost with its connection) goes to this process's stderr. */
function reportFailure(err: unknown): void {
  process.stderr.write(`honest traffic: ${describeError(err).split("\n")[0]}\n`);
}

export class HonestTraffic {
  readonly #sent = new Map<string, Sent>();
  readonly #realm2: ServerAddress;
  readonly #password: string;
  #sender: LiveClient | undefined;
  #receivers: LiveClient[] = [];
  #seq = 0;
  #windowStart = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  private constructor(realm2: ServerAddress, password: string) {
    this.#realm2 = realm2;
    this.#password = password;
  }

  static async start(realm1: ServerAddress, realm2: ServerAddress, password: string): Promise<HonestTraffic> {
    const traffic = new HonestTraffic(realm2, password);
    const receiver = await LiveClient.connect(realm1, (e) => traffic.#onEvent(receiver, e));
    await receiver.auth("hB", password);
    await receiver.join(HONEST_GROUP);
    traffic.#receivers.push(receiver);
    await traffic.#connectRemoteReceiver();
    const sender = await LiveClient.connect(realm1);
    await sender.auth("hA", password);
    await sender.join(HONEST_GROUP);
    traffic.#sender = sender;
    traffic.#timer = setInterval(() => traffic.#tick(), TICK_MS);
    return traffic;
  }

  /** jA on realm2, reconnected whenever its realm goes away; on return it reads its inbox. */
  async #connectRemoteReceiver(): Promise<void> {
    for (;;) {
      if (this.#stopped) return;
      try {
        const client = await LiveClient.connect(this.#realm2, (e) => this.#onEvent(client, e));
        await client.auth("jA", this.#password);
        this.#receivers.push(client);
        client.closed
          .then(() => {
            this.#receivers = this.#receivers.filter((c) => c !== client);
            if (!this.#stopped) return this.#connectRemoteReceiver();
          })
          .catch(reportFailure);
        for (const m of await client.inbox(1000)) this.#arrived(m.text, m.msgId, client);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  #tick(): void {
    const sender = this.#sender;
    if (sender === undefined || sender.isClosed) return;
    for (const kind of ["local", "cross", "group"] as const) {
      const tag = `h${this.#seq++}`;
      const record: Sent = { kind, at: Date.now(), answer: undefined, receivedAt: undefined };
      this.#sent.set(tag, record);
      const reply =
        kind === "local"
          ? sender.send("hB", tag).then((r) => (r.queued ? "queued" : "sent"))
          : kind === "cross"
            ? sender.send("jA@realm2", tag).then((r) => (r.queued ? "queued" : "sent"))
            : sender.say(HONEST_GROUP, tag).then(() => "sent");
      reply.then(
        (answer) => (record.answer = answer),
        (err: { code?: string }) => (record.answer = err.code ?? "error"),
      );
    }
  }

  #onEvent(client: LiveClient, event: LiveEvent): void {
    if (event.ev === "message") this.#arrived(event.text, event.msgId, client);
    else if (event.ev === "group" && event.kind === "message" && event.text !== undefined) this.#arrived(event.text, undefined, undefined);
  }

  #arrived(text: string, msgId: string | undefined, client: LiveClient | undefined): void {
    const record = this.#sent.get(text);
    if (record !== undefined && record.receivedAt === undefined) record.receivedAt = Date.now();
    // Read messages leave the inbox, so it never fills up during a long run.
    if (msgId !== undefined && client !== undefined) client.ack(msgId).catch(reportFailure);
  }

  /** Starts counting afresh; what was sent before is forgotten. */
  openWindow(): void {
    for (let i = this.#windowStart; i < this.#seq; i++) this.#sent.delete(`h${i}`);
    this.#windowStart = this.#seq;
  }

  /**
   * What happened to the messages sent since `openWindow`. Stragglers get time: until every
   * acknowledged message arrived, or `maxGraceMs` (messages queued for a realm that was down
   * arrive only after it is back and its bridge has linked again).
   */
  async closeWindow(maxGraceMs = 20_000): Promise<HonestFigures> {
    const last = this.#seq;
    const deadline = Date.now() + maxGraceMs;
    await new Promise((r) => setTimeout(r, 1000));
    while (Date.now() < deadline && this.#undelivered(this.#windowStart, last) > 0) await new Promise((r) => setTimeout(r, 250));
    let sent = 0;
    let delivered = 0;
    let refused = 0;
    const latencies: number[] = [];
    const local: number[] = [];
    for (let i = this.#windowStart; i < last; i++) {
      const record = this.#sent.get(`h${i}`);
      if (record === undefined) continue;
      if (record.answer === "sent" || record.answer === "queued") {
        sent++;
        if (record.receivedAt !== undefined) delivered++;
        if (record.answer === "sent" && record.receivedAt !== undefined) {
          latencies.push(record.receivedAt - record.at);
          if (record.kind !== "cross") local.push(record.receivedAt - record.at);
        }
      } else if (record.answer !== undefined) refused++;
      this.#sent.delete(`h${i}`);
    }
    return { sent, delivered, lost: sent - delivered, refused, p99Ms: quantile(latencies, 0.99), p99LocalMs: quantile(local, 0.99) };
  }

  #undelivered(from: number, to: number): number {
    let n = 0;
    for (let i = from; i < to; i++) {
      const record = this.#sent.get(`h${i}`);
      if (
        record !== undefined &&
        (record.answer === undefined || record.answer === "sent" || record.answer === "queued") &&
        record.receivedAt === undefined
      )
        n++;
    }
    return n;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await Promise.all([this.#sender, ...this.#receivers].map((c) => c?.close()));
  }
}
