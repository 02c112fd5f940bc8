import type { BenchClient, BenchSystem } from "./bench-system.ts";
import type { LoopOptions, LoopReceiver, LoopSender } from "./delivery-loop.ts";

/** One workload of the comparison, the same load shape for both systems. */
export interface Workload {
  readonly key: string;
  readonly title: string;
  readonly kind: "private" | "group";
  /** Private: sender → receiver pairs. Group: members, half on each server. */
  readonly size: number;
  /** Group: how many of the members send. */
  readonly senders?: number;
  readonly across: boolean;
  readonly count: number;
  readonly window: number;
  readonly ratePerSender?: number;
}

/** The workloads of issue 13's table; `scale` shrinks the message counts for a quick run. */
export function comparisonWorkloads(scale: number): Workload[] {
  const n = (count: number): number => Math.max(10, Math.round(count * scale));
  return [
    {
      key: "private-local",
      title: "private, one server, 50 pairs, 50 in flight each",
      kind: "private",
      size: 50,
      across: false,
      count: n(2000),
      window: 50,
    },
    {
      key: "private-across",
      title: "private across servers/realms, 50 pairs, 50 in flight each",
      kind: "private",
      size: 50,
      across: true,
      count: n(2000),
      window: 50,
    },
    {
      key: "group",
      title: "group of 100 (50 on each side), 10 senders, 20 in flight each",
      kind: "group",
      size: 100,
      senders: 10,
      across: true,
      count: n(500),
      window: 20,
    },
    {
      key: "private-local-floor",
      title: "private local, 10 pairs, 1 in flight (latency floor)",
      kind: "private",
      size: 10,
      across: false,
      count: n(1000),
      window: 1,
    },
    {
      key: "private-across-floor",
      title: "private across, 10 pairs, 1 in flight",
      kind: "private",
      size: 10,
      across: true,
      count: n(1000),
      window: 1,
    },
    {
      key: "group-floor",
      title: "group of 100, 10 senders, 1 in flight each",
      kind: "group",
      size: 100,
      senders: 10,
      across: true,
      count: n(200),
      window: 1,
    },
    // Paced below both systems' capacity, so that latency is the server's, not a queue's.
    {
      key: "private-local-paced",
      title: "private local, 50 pairs paced at 100 msgs/s each (5,000/s)",
      kind: "private",
      size: 50,
      across: false,
      count: n(500),
      window: 1,
      ratePerSender: 100,
    },
    {
      key: "private-across-paced",
      title: "private across, 50 pairs paced at 40 msgs/s each (2,000/s)",
      kind: "private",
      size: 50,
      across: true,
      count: n(200),
      window: 1,
      ratePerSender: 40,
    },
    {
      key: "group-paced",
      title: "group of 100, 10 senders paced at 20 lines/s each (19,800 deliveries/s)",
      kind: "group",
      size: 100,
      senders: 10,
      across: true,
      count: n(100),
      window: 1,
      ratePerSender: 20,
    },
  ];
}

/** Sends probes from `sender` until one reaches `receiver` (lines to an unknown user are dropped). */
async function untilReachable(sender: LoopSender, receiver: BenchClient): Promise<void> {
  let reached = false;
  receiver.onText = (text) => {
    if (text === "probe") reached = true;
  };
  for (let tries = 0; !reached; tries++) {
    if (tries === 100) throw new Error("a receiver could not be reached in 20 s");
    sender.send("probe");
    for (let wait = 0; wait < 10 && !reached; wait++) await new Promise((r) => setTimeout(r, 20));
  }
}

/** Users a workload needs on each server, so that each workload has clients of its own. */
export function usersOf(w: Workload): number {
  return w.kind === "private" ? 2 * w.size : w.size;
}

/**
 * Connects a workload's clients on `system` (users from `base` on) and returns the delivery
 * loop's senders and receivers, with every client to close afterwards.
 */
export async function setUpWorkload(
  system: BenchSystem,
  w: Workload,
  base: number,
): Promise<{ loop: Omit<LoopOptions, "count" | "window">; clients: BenchClient[] }> {
  const clients: BenchClient[] = [];
  const open = async (user: number, server: 0 | 1): Promise<BenchClient> => {
    const c = await system.connect(user, server);
    clients.push(c);
    return c;
  };
  if (w.kind === "private") {
    const senders: LoopSender[] = [];
    const receivers: LoopReceiver[] = [];
    const to: 0 | 1 = w.across ? 1 : 0;
    for (let i = 0; i < w.size; i++) {
      const receiverUser = base + w.size + i;
      const receiver = await open(receiverUser, to);
      const sender = await open(base + i, 0);
      const address = system.addressOf(receiverUser, to, 0);
      senders.push({ id: i, client: sender, send: (text) => sender.sendPrivate(address, text) });
      receivers.push({ client: receiver, counts: (s) => s === i });
    }
    // A user who just logged in on one server is known on the other a moment later (IRC's nick
    // propagation): each pair exchanges a probe before the measured lines, on both systems.
    await Promise.all(senders.map((sender, i) => untilReachable(sender, (receivers[i] as LoopReceiver).client)));
    return { loop: { senders, receivers, fanOut: 1 }, clients };
  }
  const members: Array<{ client: BenchClient; server: 0 | 1 }> = [];
  for (let i = 0; i < w.size; i++) {
    const server: 0 | 1 = w.across && i % 2 === 1 ? 1 : 0;
    const client = await open(base + i, server);
    await client.join(system.groupOn(server));
    members.push({ client, server });
  }
  // The last members to join are seen by all before the first line goes.
  await new Promise((r) => setTimeout(r, 500));
  const senders: LoopSender[] = members
    .slice(0, w.senders ?? 1)
    .map((m, i) => ({ id: i, client: m.client, send: (text) => m.client.say(system.groupOn(m.server), text) }));
  const receivers: LoopReceiver[] = members.map((m, i) => ({ client: m.client, counts: (s) => s !== i }));
  return { loop: { senders, receivers, fanOut: w.size - 1 }, clients };
}
