import type { LiveConnection } from "../live-connection.ts";
import { requireUser, type OpRequest, type OpResult } from "./op-types.ts";

/** Removes inbox messages up to and including `upTo` (in inbox order). */
export async function opAck(conn: LiveConnection, req: OpRequest<"ack">): OpResult {
  const user = await requireUser(conn);
  return { removed: await conn.realm.store.inboxes.ackUpTo(user.username, req.upTo) };
}
