import type { GroupRef } from "@realmchat/protocol";
import type { GroupService } from "../../../services/group-service.ts";
import type { SessionService } from "../../../services/session-service.ts";
import { addressOf, requireUser, type LiveClient, type OpRequest, type OpResult } from "./live-op.ts";

/** A group's members and who of them is in it right now. */
export async function opWho(sessions: SessionService, groups: GroupService, client: LiveClient, req: OpRequest<"who">): OpResult<"who"> {
  await requireUser(sessions, client);
  const address = addressOf(req.group);
  // A bare name means a remote group this connection is in, if there is one; else the local group.
  const remote = [...client.joined.values()].find((g) => g.name === address.user && g.home !== client.realm && (address.realm === undefined || g.home === address.realm));
  const group: GroupRef = remote ?? { name: address.user, home: address.realm ?? client.realm };
  const { members, online } = await groups.who(group);
  return group.home === client.realm ? { group: group.name, members, online } : { group: group.name, home: group.home, members, online };
}
