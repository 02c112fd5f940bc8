import type { ClassicRequest } from "@realmchat/protocol";
import { handleAuth } from "./auth.ts";
import type { CommandContext, CommandResult } from "./command-context.ts";
import { handleGroup } from "./group.ts";
import { handleInbox } from "./inbox.ts";
import { handleLogout } from "./logout.ts";
import { handleSend } from "./send.ts";

export function dispatchClassic(ctx: CommandContext, request: ClassicRequest): CommandResult {
  switch (request.kind) {
    case "auth":
      return handleAuth(ctx, request);
    case "send":
      return handleSend(ctx, request);
    case "inbox":
      return handleInbox(ctx, request);
    case "group":
      return handleGroup(ctx, request);
    case "logout":
      return handleLogout(ctx, request);
    default: {
      const unreachable: never = request;
      throw new TypeError(`unhandled request ${JSON.stringify(unreachable)}`);
    }
  }
}
