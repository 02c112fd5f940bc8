import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LiveClient } from "@realmchat/cli";
import { BENCH_REALM_ARGS } from "../bench/bench-limits.ts";
import { NodeProcess } from "../node-process.ts";
import { Topology, type RealmHandle } from "../topology.ts";
import { writeFederationConfigs } from "../topology-config.ts";
import { readRecipientLog } from "./hand-off-recipient.ts";
import { SeededRandom } from "./seeded-random.ts";

const RECIPIENT_BIN = new URL("../bin/hand-off-recipient.ts", import.meta.url).pathname;

export interface HandOffCrashOptions {
  /** Messages the sender sends in all. */
  readonly messages: number;
  /** Mean time between kills (of the realm or of the recipient's client), in ms. */
  readonly killEveryMs: number;
  readonly seed: number;
  /** Sends the sender has unanswered at once. */
  readonly inFlight?: number;
  /** The recipient on another realm (two realms, two bridges): its realm is the one killed. */
  readonly across?: boolean;
  readonly say?: (line: string) => void;
}

export interface HandOffCrashReport {
  /** Messages whose sender heard "sent". */
  readonly heardSent: number;
  readonly realmKills: number;
  readonly clientKills: number;
  /** Of those: in the recipient client's log, and only in the inbox after the last restart. */
  readonly inClient: number;
  readonly inInboxOnly: number;
  /** In the client's log and again in the inbox (a client shows it once: same id). */
  readonly inBoth: number;
  /** Heard "sent" but nowhere. */
  readonly lost: number;
  /** Shown under two ids, or logged twice. */
  readonly duplicated: number;
  readonly seconds: number;
}

const SENDER = { user: "messi", password: "surabaya" } as const;
const RECIPIENT = { user: "henderson", password: "surabaya" } as const;

/**
 * The hand-off's crash run (docs/design/private-hand-off.md): one sender sends numbered messages
 * with client ids to a live recipient whose client is its own process, while the realm and that
 * client are killed with SIGKILL at random moments and started again. The sender sends again what
 * it has not heard "sent" for, with the same client id, as the browser client does. At the end
 * every message the sender heard "sent" for must be in the client's log or in the inbox, under one
 * id, once. `across`: the recipient is on another realm, and its realm is the one killed; "sent"
 * includes "queued" there (realm2 did not answer within its time), which must arrive all the same.
 */
export async function runHandOffCrash(options: HandOffCrashOptions): Promise<HandOffCrashReport> {
  const say = options.say ?? (() => undefined);
  const random = new SeededRandom(options.seed);
  const dir = await mkdtemp(join(tmpdir(), "realmchat-hand-off-"));
  const log = join(dir, "recipient.log");
  const topology = new Topology();
  const started = Date.now();
  let recipient: NodeProcess | undefined;
  try {
    const across = options.across === true;
    const recipientRealm = across ? "realm2" : "realm1";
    const realms = across
      ? [
          { name: "realm1", users: [SENDER] },
          { name: "realm2", users: [RECIPIENT] },
        ]
      : [{ name: "realm1", users: [SENDER, RECIPIENT] }];
    const specs = await writeFederationConfigs(dir, realms);
    if (across) {
      const links = { heartbeatMs: 300, maxBackoffMs: 400, realmArgs: BENCH_REALM_ARGS };
      await topology.startFederation(specs, { anyPort: true, dataRoot: join(dir, "data"), ...links });
    } else {
      const config = (specs[0] as { realmConfig: string }).realmConfig;
      await topology.startRealm({ name: "realm1", config, dataDir: join(dir, "data"), port: 0, extraArgs: BENCH_REALM_ARGS });
    }
    let realm: RealmHandle = topology.realm(recipientRealm);
    const startRecipient = async (): Promise<NodeProcess> =>
      NodeProcess.start({
        name: "recipient",
        script: RECIPIENT_BIN,
        args: ["--port", String(realm.port), "--user", RECIPIENT.user, "--password", RECIPIENT.password, "--log", log],
        ready: /recipient ready/,
      });
    recipient = await startRecipient();
    const senderRealm = topology.realm("realm1");
    const to = across ? `${RECIPIENT.user}@realm2` : RECIPIENT.user;
    const sender = new CrashSender(() => (across ? senderRealm.port : realm.port), to, options.messages, options.inFlight ?? 20);
    const sending = sender.run();
    let realmKills = 0;
    let clientKills = 0;
    while (!sender.done) {
      await Promise.race([sending, pause(random.between(options.killEveryMs / 2, (options.killEveryMs * 3) / 2))]);
      if (sender.done) break;
      // At random moments, the realm and the client in turn.
      if ((realmKills + clientKills) % 2 === 0) {
        await realm.process.kill();
        realmKills++;
        say(`kill ${realmKills + clientKills}: the realm (-9), ${sender.heard.size} heard "sent" so far`);
        await pause(random.between(10, 200));
        realm = await topology.restartRealm(recipientRealm);
      } else {
        await recipient.kill();
        clientKills++;
        say(`kill ${realmKills + clientKills}: the recipient's client (-9), ${sender.heard.size} heard "sent" so far`);
        await pause(random.between(10, 200));
      }
      // A client whose realm went away ends (its link is gone); one killed is started again.
      await untilExited(recipient);
      recipient = await startRecipient();
    }
    await sending;
    // The last of it reaches the client, then the client is stopped without warning and the inbox read,
    // again until all that was heard "sent" is found (what was queued across is still on its way).
    await pause(300);
    await recipient.kill();
    const inbox: { msgId: string; text: string }[] = [];
    const deadline = Date.now() + 30_000;
    for (;;) {
      inbox.push(...(await readInbox(realm.port)));
      const found = new Set([...readRecipientLog(log), ...inbox].map((m) => m.msgId));
      if ([...sender.heard.values()].every((id) => found.has(id)) || Date.now() > deadline) break;
      await pause(200);
    }
    return tally(sender.heard, readRecipientLog(log), inbox, realmKills, clientKills, started);
  } finally {
    await recipient?.kill();
    await topology.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function tally(
  heard: ReadonlyMap<string, string>,
  logged: readonly { msgId: string; text: string }[],
  inbox: readonly { msgId: string; text: string }[],
  realmKills: number,
  clientKills: number,
  started: number,
): HandOffCrashReport {
  const idsByText = new Map<string, Set<string>>();
  const note = (m: { msgId: string; text: string }): void => {
    const ids = idsByText.get(m.text) ?? new Set<string>();
    ids.add(m.msgId);
    idsByText.set(m.text, ids);
  };
  for (const m of logged) note(m);
  for (const m of inbox) note(m);
  const loggedIds = new Set(logged.map((m) => m.msgId));
  const inboxIds = new Set(inbox.map((m) => m.msgId));
  let inClient = 0;
  let inInboxOnly = 0;
  let inBoth = 0;
  let lost = 0;
  for (const [text, id] of heard) {
    const inLog = loggedIds.has(id);
    const inInbox = inboxIds.has(id);
    if (inLog && inInbox) inBoth++;
    if (inLog) inClient++;
    else if (inInbox) inInboxOnly++;
    else if (!idsByText.has(text)) lost++;
  }
  const duplicated = [...idsByText.values()].filter((ids) => ids.size > 1).length + (logged.length - loggedIds.size);
  return {
    heardSent: heard.size,
    realmKills,
    clientKills,
    inClient,
    inInboxOnly,
    inBoth,
    lost,
    duplicated,
    seconds: (Date.now() - started) / 1000,
  };
}

async function readInbox(port: number): Promise<{ msgId: string; text: string }[]> {
  const reader = await LiveClient.connect({ host: "127.0.0.1", port });
  try {
    await reader.auth(RECIPIENT.user, RECIPIENT.password);
    const all: { msgId: string; text: string }[] = [];
    for (;;) {
      const page = await reader.inbox(1000);
      const last = page.at(-1);
      if (last === undefined) return all;
      all.push(...page);
      await reader.ack(last.msgId);
    }
  } finally {
    await reader.close();
  }
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function untilExited(p: NodeProcess): Promise<void> {
  for (let waited = 0; p.running; waited += 10) {
    if (waited > 2000) throw new Error("the recipient's client did not end when its realm went away");
    await pause(10);
  }
}

/**
 * Sends `m0`, `m1`, … with client ids `c0`, `c1`, …, `inFlight` unanswered at once; whatever was
 * not answered when the connection broke is sent again, same text, same client id, once the realm
 * is back. `heard` maps each text to the id its "sent" answer gave.
 */
class CrashSender {
  readonly heard = new Map<string, string>();
  readonly #port: () => number;
  readonly #to: string;
  readonly #total: number;
  readonly #inFlight: number;
  done = false;

  constructor(port: () => number, to: string, total: number, inFlight: number) {
    this.#port = port;
    this.#to = to;
    this.#total = total;
    this.#inFlight = inFlight;
  }

  async run(): Promise<void> {
    let next = 0;
    const retry: number[] = [];
    while (this.heard.size < this.#total) {
      const client = await this.#connect();
      if (client === undefined) continue;
      const sends = new Set<Promise<void>>();
      while (!client.isClosed && (retry.length > 0 || next < this.#total)) {
        const n = retry.length > 0 ? (retry.shift() as number) : next++;
        const send = client
          .request("send", { to: this.#to, text: `m${n}`, cid: `c${n}` })
          .then((reply) => void this.heard.set(`m${n}`, reply.msgId))
          .catch(() => void retry.push(n))
          .finally(() => sends.delete(send));
        sends.add(send);
        if (sends.size >= this.#inFlight) await Promise.race(sends);
      }
      await Promise.all(sends);
      await client.close();
      retry.sort((a, b) => a - b);
    }
    this.done = true;
  }

  async #connect(): Promise<LiveClient | undefined> {
    try {
      const client = await LiveClient.connect({ host: "127.0.0.1", port: this.#port() });
      await client.auth(SENDER.user, SENDER.password);
      return client;
    } catch {
      // The realm is down (killed, not started again yet): try again in a moment.
      await pause(20);
      return undefined;
    }
  }
}
