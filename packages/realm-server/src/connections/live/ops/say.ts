import type { GroupService } from "../../../services/group-service.ts";
import type { SessionService } from "../../../services/session-service.ts";
import { findJoined, requireUser, type LiveClient, type OpRequest, type OpResult } from "./live-op.ts";

export async function opSay(sessions: SessionService, groups: GroupService, client: LiveClient, req: OpRequest<"say">): OpResult<"say"> {
  await requireUser(sessions, client);
  await groups.say(client, findJoined(client, req.group), req.text);
  return {};
}
