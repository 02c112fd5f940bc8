import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { LiveClient } from "@realmchat/cli";
import { describeError } from "@realmchat/node-runtime";
import type { LiveMessage } from "@realmchat/protocol";

export interface HandOffRecipientOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Where each message is written, `msgId<TAB>text`, before it is acknowledged. */
  readonly log: string;
}

/** One line of a recipient's log. */
export interface LoggedMessage {
  readonly msgId: string;
  readonly text: string;
}

export function readRecipientLog(path: string): LoggedMessage[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => {
      const tab = line.indexOf("\t");
      return { msgId: line.slice(0, tab), text: line.slice(tab + 1) };
    });
}

/**
 * A live client that keeps what it receives (for the hand-off crash run): each private message
 * is written to its log before it is acknowledged, once per turn, as the terminal and browser
 * clients acknowledge what they have shown. A message it has logged already (by id) is not
 * logged again: that is how a client shows a message once. Resolves when the connection ends.
 */
const ackFailed = (err: unknown): void => console.error(`ack not taken: ${describeError(err)}`);

export async function runHandOffRecipient(options: HandOffRecipientOptions): Promise<void> {
  const seen = new Set(readRecipientLog(options.log).map((m) => m.msgId));
  let ackUpTo: string | undefined;
  let client: LiveClient | undefined;
  const ack = (): void => {
    const upTo = ackUpTo;
    ackUpTo = undefined;
    // A lost ack only means the message is handed over again; the log keeps it once.
    if (upTo !== undefined) client?.ack(upTo).catch(ackFailed);
  };
  const received = (m: Pick<LiveMessage, "msgId" | "text">): void => {
    if (!seen.has(m.msgId)) {
      seen.add(m.msgId);
      appendFileSync(options.log, `${m.msgId}\t${m.text}\n`);
    }
    if (ackUpTo === undefined) setImmediate(ack);
    ackUpTo = m.msgId;
  };
  client = await LiveClient.connect({ host: options.host, port: options.port }, (event) => {
    if (event.ev === "message") received(event);
  });
  await client.auth(options.user, options.password);
  for (const m of await client.inbox(1000)) received(m);
  console.log("recipient ready");
  await client.closed;
}
