import { parseAddress, type Address } from "@realmchat/protocol";
import { LiveRequestError } from "../live-errors.ts";
import type { LiveConnection } from "../live-connection.ts";
import { requireUser, type OpRequest, type OpResult } from "./op-types.ts";

export async function opLeave(conn: LiveConnection, req: OpRequest<"leave">): OpResult {
  const user = await requireUser(conn);
  const group = findJoined(conn, req.group);
  conn.leaveGroup(group);
  if (group.home === undefined) await conn.realm.store.groups.removeMember(group.name, user.username);
  return { group: group.name };
}

/** The joined group a request names: `name@home` exactly, or a bare name if only one matches. */
export function findJoined(conn: LiveConnection, text: string): { name: string; home: string | undefined } {
  const address = parseAddress(text) as Address;
  const exact = conn.groups.get(address.realm === undefined || address.realm === conn.realm.name ? address.user : text);
  const found = exact ?? [...conn.groups.values()].find((g) => g.name === address.user && (address.realm === undefined || g.home === address.realm));
  if (found === undefined) throw new LiveRequestError("INVALID_ARGUMENT", `not in group '${text}' (join it first)`);
  return found;
}
