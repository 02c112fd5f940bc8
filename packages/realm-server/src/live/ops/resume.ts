import { LiveRequestError } from "../live-errors.ts";
import type { LiveConnection } from "../live-connection.ts";
import type { OpRequest, OpResult } from "./op-types.ts";

/** Takes up an existing session on a new connection (a client reconnecting after a drop). */
export async function opResume(conn: LiveConnection, req: OpRequest<"resume">): OpResult {
  const session = await conn.realm.store.sessions.touch(req.token);
  if (session === undefined) throw new LiveRequestError("SESSION_NOT_FOUND", "session expired or unknown: log in again");
  conn.bind(session);
  return { user: session.username, realm: conn.realm.name };
}
