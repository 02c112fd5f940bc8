import { formatGroupRef } from "@realmchat/protocol";
import type { GroupService } from "../../../services/group-service.ts";
import type { UserRecord } from "../../../store/realm-store.ts";
import { addressOf, type LiveClient, type OpRequest, type OpResult } from "./live-op.ts";

/** Joins a group (any number at once); answers with its recent history and who is in it. */
export async function opJoin(groups: GroupService, client: LiveClient, req: OpRequest<"join">, user: UserRecord): OpResult<"join"> {
  const address = addressOf(req.group);
  let group = await groups.resolve(user.username, address.user, address.realm);
  if (!client.joined.has(formatGroupRef(group))) {
    // Joined before the answer, so that a connection closing meanwhile leaves the group too.
    client.addJoined(group);
    try {
      group = await groups.join(client, group);
    } catch (err) {
      client.removeJoined(group);
      throw err;
    }
  }
  return { group: group.name, home: group.home, ...(await groups.snapshot(group)) };
}
