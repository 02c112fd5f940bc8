import { HISTORY_PAGE, MAX_HISTORY_PAGE } from "../../../federation/home-group-requests.ts";
import type { GroupService } from "../../../services/group-service.ts";
import type { UserRecord } from "../../../store/realm-store.ts";
import { findJoined, type LiveClient, type OpRequest, type OpResult } from "./live-op.ts";

/** Older events of a joined group, before an event id, from the store of the group's home. */
export async function opHistory(
  groups: GroupService,
  client: LiveClient,
  req: OpRequest<"history">,
  user: UserRecord,
): OpResult<"history"> {
  const group = findJoined(client, req.group);
  const limit = Math.min(Math.max(1, req.limit ?? HISTORY_PAGE), MAX_HISTORY_PAGE);
  const page = await groups.olderHistory(group, user.username, req.before, limit);
  return { group: group.name, home: group.home, ...page };
}
