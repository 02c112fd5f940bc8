import type { SessionService } from "../../../services/session-service.ts";
import type { LiveClient, OpRequest, OpResult } from "./live-op.ts";

export async function opAuth(sessions: SessionService, client: LiveClient, req: OpRequest<"auth">): OpResult<"auth"> {
  const session = await sessions.authenticate(req.user, req.password, client.peer);
  client.bind(session);
  return { token: session.token, user: session.username, realm: client.realm };
}
