import type { SendReceipt } from "../../../federation/relay-receipt.ts";
import type { PrivateMessaging } from "../../../services/private-messaging.ts";
import type { SessionService } from "../../../services/session-service.ts";
import type { Awaitable, UserRecord } from "../../../store/realm-store.ts";
import { addressOf, LaterReply, requireUser, type LiveClient, type OpRequest } from "./live-op.ts";

/** The answer to a `send`: the message's id, once committed here (or stored or queued for another realm). */
class SendAnswer extends LaterReply<"send"> implements SendReceipt {
  sent(id: string, queued: boolean): void {
    this.resolve({ msgId: id, queued });
  }

  failed(error: unknown): void {
    this.reject(error);
  }
}

/**
 * Answers once the message is committed here; for another realm, the answer waits for that realm.
 * With the session, user and inbox size in memory, no promise is made before the answer.
 */
export function opSend(
  sessions: SessionService,
  messaging: PrivateMessaging,
  client: LiveClient,
  req: OpRequest<"send">,
): Awaitable<LaterReply<"send">> {
  const sender = requireUser(sessions, client);
  if (sender instanceof Promise) return sender.then((user) => submit(messaging, user, req));
  return submit(messaging, sender, req);
}

function submit(messaging: PrivateMessaging, sender: UserRecord, req: OpRequest<"send">): Awaitable<LaterReply<"send">> {
  const answer = new SendAnswer();
  const handed = messaging.submit(sender, addressOf(req.to), req.text, answer);
  return handed instanceof Promise ? handed.then(() => answer) : answer;
}
