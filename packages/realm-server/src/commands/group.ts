import { errorReply, type ClassicRequest } from "@realmchat/protocol";
import type { CommandContext, CommandResult } from "./command-context.ts";

/**
 * Classic group mode (docs/protocol.md, "Classic group mode"): joining a group that does not
 * exist creates it; on success there is no JSON reply, only the pushed `<user> joined` line.
 */
export async function handleGroup(ctx: CommandContext, request: Extract<ClassicRequest, { kind: "group" }>): CommandResult {
  const { store, logger } = ctx.realm;
  const session = await store.sessions.touch(request.token);
  if (session === undefined) return errorReply("SESSION_NOT_FOUND");
  const { created } = await store.groups.ensure(request.group, session.username);
  if (created) logger.info("group created", { group: request.group, by: session.username });
  ctx.connection.enterGroup(request.group, session.username);
  return undefined;
}
