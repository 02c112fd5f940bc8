import type { GroupService } from "../../../services/group-service.ts";
import { RequestError } from "../../../request-error.ts";
import type { UserRecord } from "../../../store/realm-store.ts";
import { addressOf, type LiveClient, type OpRequest, type OpResult } from "./live-op.ts";

/** A group's members and who of them is in it right now. */
export async function opWho(groups: GroupService, client: LiveClient, req: OpRequest<"who">, user: UserRecord): OpResult<"who"> {
  const address = addressOf(req.group);
  // A name means the group of that name this connection is in, if there is one; else the one the federation has.
  const joined = [...client.joined.values()].find(
    (g) => g.name === address.user && (address.realm === undefined || g.home === address.realm),
  );
  const found = joined ?? (await groups.locate(address.user, address.realm));
  if (found === undefined) throw new RequestError("INVALID_ARGUMENT", `no group '${req.group}'`);
  const { group, members, online } = await groups.who(found, user.username);
  return group.home === client.realm ? { group: group.name, members, online } : { group: group.name, home: group.home, members, online };
}
