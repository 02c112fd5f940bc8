import { formatGroupRef } from "@realmchat/protocol";
import type { GroupService } from "../../../services/group-service.ts";
import type { SessionService } from "../../../services/session-service.ts";
import { addressOf, requireUser, type LiveClient, type OpRequest, type OpResult } from "./live-op.ts";

/** Joins a group (any number at once); answers with its recent history and who is in it. */
export async function opJoin(sessions: SessionService, groups: GroupService, client: LiveClient, req: OpRequest<"join">): OpResult<"join"> {
  const user = await requireUser(sessions, client);
  const address = addressOf(req.group);
  const group = await groups.resolve(user.username, address.user, address.realm);
  if (!client.joined.has(formatGroupRef(group))) {
    client.addJoined(group);
    await groups.join(client, group);
  }
  return { group: group.name, home: group.home, ...groups.snapshot(group) };
}
