import type { SessionService } from "../../../services/session-service.ts";
import type { LiveClient, OpRequest, OpResult } from "./live-op.ts";

export async function opLogout(sessions: SessionService, client: LiveClient, _req: OpRequest<"logout">): OpResult<"logout"> {
  await sessions.logout(client.session?.token ?? "");
  client.unbind();
  return {};
}
