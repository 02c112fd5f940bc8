import { errorReply, type ClassicRequest } from "@realmchat/protocol";
import { burnPasswordCheck, verifyPassword } from "../password-hash.ts";
import type { CommandContext, CommandResult } from "./command-context.ts";

export async function handleAuth(ctx: CommandContext, request: Extract<ClassicRequest, { kind: "auth" }>): CommandResult {
  const { store, logger } = ctx.realm;
  const user = await store.users.get(request.user);
  const valid =
    user === undefined ? await burnPasswordCheck(request.password) : await verifyPassword(request.password, user.passwordHash);
  if (user === undefined || !valid) {
    logger.info("auth failed", { user: request.user, peer: ctx.connection.peer });
    return errorReply("AUTH_FAILED");
  }
  const session = await store.sessions.create(user.username);
  return { kind: "auth-ok", token: session.token };
}
