import type { SessionService } from "../../../services/session-service.ts";
import type { LiveClient, OpRequest, OpResult } from "./live-op.ts";

/** Takes up an existing session on a new connection (a client reconnecting after a drop). */
export async function opResume(sessions: SessionService, client: LiveClient, req: OpRequest<"resume">): OpResult<"resume"> {
  const session = await sessions.requireSession(req.token, "session expired or unknown: log in again");
  client.bind(session);
  return { user: session.username, realm: client.realm };
}
