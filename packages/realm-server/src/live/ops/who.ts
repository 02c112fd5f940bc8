import { parseAddress, type Address } from "@realmchat/protocol";
import { LiveRequestError } from "../live-errors.ts";
import type { LiveConnection } from "../live-connection.ts";
import { requireUser, type OpRequest, type OpResult } from "./op-types.ts";

/** A group of this realm: its members, and who of them is in it right now. */
export async function opWho(conn: LiveConnection, req: OpRequest<"who">): OpResult {
  await requireUser(conn);
  const address = parseAddress(req.group) as Address;
  const remote = [...conn.groups.values()].find((g) => g.name === address.user && g.home !== undefined && (address.realm === undefined || g.home === address.realm));
  if (remote !== undefined || (address.realm !== undefined && address.realm !== conn.realm.name)) {
    const home = remote?.home ?? (address.realm as string);
    const roster = conn.realm.groups.mirrorRoster(home, address.user);
    if (roster === undefined) throw new LiveRequestError("INVALID_ARGUMENT", `join ${address.user}@${home} to see who is in it`);
    // For a group homed elsewhere this realm knows who is in it now, not its past members.
    return { group: address.user, home, members: roster, online: roster };
  }
  if ((await conn.realm.store.groups.get(address.user)) === undefined) throw new LiveRequestError("INVALID_ARGUMENT", `no group '${address.user}' here`);
  return { group: address.user, members: await conn.realm.store.groups.members(address.user), online: conn.realm.groups.members(address.user) };
}
