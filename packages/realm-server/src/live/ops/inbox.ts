import type { LiveMessage } from "@realmchat/protocol";
import type { LiveConnection } from "../live-connection.ts";
import { requireUser, type OpRequest, type OpResult } from "./op-types.ts";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** Shows the inbox without emptying it: messages leave only with `ack`. */
export async function opInbox(conn: LiveConnection, req: OpRequest<"inbox">): OpResult {
  const user = await requireUser(conn);
  const limit = Math.min(req.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  const stored = await conn.realm.store.inboxes.peek(user.username, limit);
  const messages: LiveMessage[] = stored.map((m) => ({ msgId: m.id, from: m.from, fromName: m.fromName, text: m.text, ts: m.sentAt }));
  return { messages };
}
