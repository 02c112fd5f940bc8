import { errorReply, type ClassicRequest } from "@realmchat/protocol";
import { resolveGroupToJoin } from "../messaging/resolve-group.ts";
import type { CommandContext, CommandResult } from "./command-context.ts";

/**
 * Classic group mode (docs/protocol.md, "Classic group mode", "Groups across realms"). On
 * success there is no JSON reply, only the pushed `<user> joined` line.
 */
export async function handleGroup(ctx: CommandContext, request: Extract<ClassicRequest, { kind: "group" }>): CommandResult {
  const session = await ctx.realm.store.sessions.touch(request.token);
  if (session === undefined) return errorReply("SESSION_NOT_FOUND");
  const target = await resolveGroupToJoin(ctx.realm, session.username, request.group, request.realm);
  if (target.kind === "error") return errorReply(target.code, target.message);
  ctx.connection.enterGroup(target.name, session.username, target.kind === "remote" ? target.home : undefined);
  return undefined;
}
