import type { LiveConnection } from "../live-connection.ts";
import { requireUser, type OpRequest, type OpResult } from "./op-types.ts";

/** Every group this realm knows of: its own, and those its peers' directories list. */
export async function opGroups(conn: LiveConnection, _req: OpRequest<"groups">): OpResult {
  await requireUser(conn);
  const { realm } = conn;
  const groups: Array<{ name: string; home: string; joined: boolean }> = [];
  for (const g of await realm.store.groups.list()) groups.push({ name: g.name, home: realm.name, joined: conn.groups.has(g.name) });
  for (const home of realm.federation.directory.realms()) {
    for (const name of realm.federation.directory.groupsOf(home)) groups.push({ name, home, joined: conn.groups.has(`${name}@${home}`) });
  }
  return { groups };
}
