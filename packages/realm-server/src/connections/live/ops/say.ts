import type { GroupService } from "../../../services/group-service.ts";
import { findJoined, LaterReply, type LiveClient, type OpRequest } from "./live-op.ts";

const SAID = {} as const;

/** The line goes out to the group at once; the answer comes once it is in the group's history. */
export async function opSay(groups: GroupService, client: LiveClient, req: OpRequest<"say">): Promise<LaterReply<"say">> {
  const { stored } = await groups.publish(client, findJoined(client, req.group), req.text);
  return LaterReply.of(stored.then(() => SAID));
}
