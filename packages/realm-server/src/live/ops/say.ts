import type { LiveConnection } from "../live-connection.ts";
import { findJoined } from "./leave.ts";
import { requireUser, type OpRequest, type OpResult } from "./op-types.ts";

export async function opSay(conn: LiveConnection, req: OpRequest<"say">): OpResult {
  await requireUser(conn);
  const group = findJoined(conn, req.group);
  if (group.home === undefined) conn.realm.groups.say(group.name, conn, req.text);
  else conn.realm.federation.sayInRemoteGroup(group.home, group.name, conn, req.text);
  return {};
}
