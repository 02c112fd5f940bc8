import type { ClassicRequest } from "@realmchat/protocol";
import type { GroupService } from "../../../services/group-service.ts";
import type { SessionService } from "../../../services/session-service.ts";
import type { ClassicClient, CommandResult } from "../classic-command.ts";

/**
 * Classic group mode (docs/protocol.md, "Classic group mode", "Groups across realms"). On
 * success there is no JSON reply, only the pushed `<user> joined` line.
 */
export async function handleGroup(
  sessions: SessionService,
  groups: GroupService,
  client: ClassicClient,
  request: Extract<ClassicRequest, { kind: "group" }>,
): CommandResult {
  const session = await sessions.requireSession(request.token);
  const group = await groups.resolve(session.username, request.group, request.realm);
  client.enterGroup(group, session.username);
  return undefined;
}
