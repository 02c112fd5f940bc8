import type { GroupService } from "../../../services/group-service.ts";
import type { SessionService } from "../../../services/session-service.ts";
import { findJoined, requireUser, type LiveClient, type OpRequest, type OpResult } from "./live-op.ts";

export async function opLeave(
  sessions: SessionService,
  groups: GroupService,
  client: LiveClient,
  req: OpRequest<"leave">,
): OpResult<"leave"> {
  const user = await requireUser(sessions, client);
  const group = findJoined(client, req.group);
  client.removeJoined(group);
  groups.leave(client, group);
  await groups.forget(group, user.username);
  return { group: group.name };
}
