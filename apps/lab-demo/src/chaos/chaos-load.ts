import { ClassicClient, ConnectionClosedError, ServerErrorReply } from "@realmchat/cli";
import type { Topology } from "../topology.ts";

export interface ChaosUser {
  readonly realm: string;
  readonly user: string;
  readonly password: string;
}

/** One sender's stream of messages to one recipient; `seq` orders them. */
export interface SentRecord {
  readonly text: string;
  readonly stream: string;
  readonly seq: number;
  acked: boolean;
}

/** The text of a message carries its stream and sequence number, so the inbox can be checked. */
export function chaosText(stream: string, seq: number): string {
  return `chaos ${stream} #${seq}`;
}

export function parseChaosText(text: string): { readonly stream: string; readonly seq: number } | undefined {
  if (!text.startsWith("chaos ")) return undefined;
  const hash = text.lastIndexOf(" #");
  if (hash === -1) return undefined;
  return { stream: text.slice(6, hash), seq: Number(text.slice(hash + 2)) };
}

/**
 * Connects to the user's realm; with several instances, to the next one after the last tried, as
 * a client given all of them moves on when its instance dies.
 */
async function connectWhenUp(
  topology: Topology,
  who: ChaosUser,
  stop: () => boolean,
  attempt: { n: number },
): Promise<ClassicClient | undefined> {
  while (!stop()) {
    const instances = topology.instancesOf(who.realm);
    try {
      const { host, port } = instances[attempt.n++ % instances.length] as { host: string; port: number };
      const client = await ClassicClient.connect({ host, port });
      await client.auth(who.user, who.password);
      return client;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return undefined;
}

/**
 * Sends `count` messages from `from` to each recipient in turn, one at a time, through kills and
 * restarts. A message is acknowledged only if its OK reply arrived; one whose connection died
 * first is not sent again (it may or may not have been stored, and must never be stored twice).
 */
export async function sendLoad(
  topology: Topology,
  from: ChaosUser,
  recipients: readonly string[],
  count: number,
  records: SentRecord[],
  stop: () => boolean,
): Promise<void> {
  let client: ClassicClient | undefined;
  const seqs = new Map<string, number>();
  const attempt = { n: 0 };
  for (let i = 0; i < count && !stop(); i++) {
    const to = recipients[i % recipients.length] as string;
    const stream = `${from.user}@${from.realm}>${to}`;
    const seq = (seqs.get(stream) ?? 0) + 1;
    seqs.set(stream, seq);
    const record: SentRecord = { text: chaosText(stream, seq), stream, seq, acked: false };
    records.push(record);
    client ??= await connectWhenUp(topology, from, stop, attempt);
    if (client === undefined) return;
    try {
      await client.send(to, record.text);
      record.acked = true;
    } catch (err) {
      if (!(err instanceof ConnectionClosedError) && !(err instanceof ServerErrorReply)) throw err;
      await client.close();
      client = undefined;
    }
  }
  await client?.close();
}
