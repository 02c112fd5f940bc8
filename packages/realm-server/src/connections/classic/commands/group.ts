import type { ClassicRequest } from "@realmchat/protocol";
import type { GroupService } from "../../../services/group-service.ts";
import type { UserRecord } from "../../../store/realm-store.ts";
import type { ClassicClient, CommandResult } from "../classic-command.ts";

/**
 * Classic group mode (docs/protocol.md, "Classic group mode", "Groups across realms"). On
 * success there is no JSON reply, only the pushed `<user> joined` line.
 */
export async function handleGroup(
  groups: GroupService,
  client: ClassicClient,
  request: Extract<ClassicRequest, { kind: "group" }>,
  user: UserRecord,
): CommandResult {
  const group = await groups.resolve(user.username, request.group, request.realm);
  client.enterGroup(group, user.username);
  return undefined;
}
