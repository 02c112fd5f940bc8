import type { SendReceipt } from "../../../federation/relay-receipt.ts";
import type { PrivateMessaging } from "../../../services/private-messaging.ts";
import type { Awaitable, UserRecord } from "../../../store/realm-store.ts";
import { addressOf, LaterReply, type OpRequest } from "./live-op.ts";

/** The answer to a `send`: the message's id, once the recipient's client or inbox has it (or another realm stored or queued it). */
class SendAnswer extends LaterReply<"send"> implements SendReceipt {
  sent(id: string, queued: boolean): void {
    this.resolve({ msgId: id, queued });
  }

  failed(error: unknown): void {
    this.reject(error);
  }
}

/**
 * Answers once the recipient's client acknowledged the message or it is committed here (PrivateHandOff);
 * for another realm, the answer waits for that realm.
 * With the user and the inbox size in memory, no promise is made before the answer.
 */
export function opSend(messaging: PrivateMessaging, req: OpRequest<"send">, sender: UserRecord): Awaitable<LaterReply<"send">> {
  const answer = new SendAnswer();
  const handed = messaging.submit({ sender, to: addressOf(req.to), text: req.text, cid: req.cid }, answer);
  return handed instanceof Promise ? handed.then(() => answer) : answer;
}
