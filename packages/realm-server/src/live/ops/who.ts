import { parseAddress, type Address } from "@realmchat/protocol";
import { LiveRequestError } from "../live-errors.ts";
import type { LiveConnection } from "../live-connection.ts";
import { requireUser, type OpRequest, type OpResult } from "./op-types.ts";

/** A group of this realm: its members, and who of them is in it right now. */
export async function opWho(conn: LiveConnection, req: OpRequest<"who">): OpResult {
  await requireUser(conn);
  const address = parseAddress(req.group) as Address;
  if (address.realm !== undefined && address.realm !== conn.realm.name) {
    throw new LiveRequestError("INVALID_ARGUMENT", `ask realm ${address.realm} about its own groups`);
  }
  if ((await conn.realm.store.groups.get(address.user)) === undefined) throw new LiveRequestError("INVALID_ARGUMENT", `no group '${address.user}' here`);
  return { group: address.user, members: await conn.realm.store.groups.members(address.user), online: conn.realm.groups.members(address.user) };
}
