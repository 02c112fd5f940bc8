import { errorReply, type ClassicRequest } from "@realmchat/protocol";
import { RequestError } from "../../request-error.ts";
import type { RealmServices } from "../../services/realm-services.ts";
import type { ClassicClient, CommandResult } from "./classic-command.ts";
import { handleAuth } from "./commands/auth.ts";
import { handleGroup } from "./commands/group.ts";
import { handleInbox } from "./commands/inbox.ts";
import { handleLogout } from "./commands/logout.ts";
import { handleSend } from "./commands/send.ts";

function run(services: RealmServices, client: ClassicClient, request: ClassicRequest): CommandResult {
  switch (request.kind) {
    case "auth":
      return handleAuth(services.sessions, client.peer, request);
    case "send":
      return handleSend(services.sessions, services.messaging, request);
    case "inbox":
      return handleInbox(services.sessions, services.inbox, request);
    case "group":
      return handleGroup(services.sessions, services.groups, client, request);
    case "logout":
      return handleLogout(services.sessions, request);
    default: {
      const unreachable: never = request;
      throw new TypeError(`unhandled request ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Serves one classic request; a refused one becomes the classic error reply. */
export async function dispatchClassic(services: RealmServices, client: ClassicClient, request: ClassicRequest): CommandResult {
  try {
    return await run(services, client, request);
  } catch (err) {
    if (err instanceof RequestError) return { reply: errorReply(err.code, err.message) };
    throw err;
  }
}
