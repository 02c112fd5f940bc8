import { formatGroupRef } from "@realmchat/protocol";
import type { GroupService } from "../../../services/group-service.ts";
import type { LiveClient, OpRequest, OpResult } from "./live-op.ts";

/** Every group this realm knows of: its own, and those its peers' directories list. */
export async function opGroups(groups: GroupService, client: LiveClient, _req: OpRequest<"groups">): OpResult<"groups"> {
  const known = await groups.list();
  return { groups: known.map((g) => ({ name: g.name, home: g.home, joined: client.joined.has(formatGroupRef(g)) })) };
}
