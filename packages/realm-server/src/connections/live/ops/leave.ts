import type { GroupService } from "../../../services/group-service.ts";
import type { UserRecord } from "../../../store/realm-store.ts";
import { findJoined, type LiveClient, type OpRequest, type OpResult } from "./live-op.ts";

export async function opLeave(groups: GroupService, client: LiveClient, req: OpRequest<"leave">, user: UserRecord): OpResult<"leave"> {
  const group = findJoined(client, req.group);
  client.removeJoined(group);
  groups.leave(client, group);
  await groups.forget(group, user.username);
  return { group: group.name };
}
