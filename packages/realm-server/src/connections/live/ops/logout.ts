import type { SessionService } from "../../../services/session-service.ts";
import { requireUser, type LiveClient, type OpRequest, type OpResult } from "./live-op.ts";

export async function opLogout(sessions: SessionService, client: LiveClient, _req: OpRequest<"logout">): OpResult<"logout"> {
  await requireUser(sessions, client);
  await sessions.logout(client.session?.token ?? "");
  client.unbind();
  return {};
}
