import { errorReply, type ClassicRequest } from "@realmchat/protocol";
import type { RealmMeter } from "../../metrics/realm-meter.ts";
import { RequestError } from "../../request-error.ts";
import type { RealmServices } from "../../services/realm-services.ts";
import type { UserRecord } from "../../store/realm-store.ts";
import type { ClassicClient, CommandResult } from "./classic-command.ts";
import { handleAuth } from "./commands/auth.ts";
import { handleGroup } from "./commands/group.ts";
import { handleInbox } from "./commands/inbox.ts";
import { handleLogout } from "./commands/logout.ts";
import { handleSend } from "./commands/send.ts";

/**
 * Which commands need a session (their token checked here, once, before they run); `auth` makes
 * one, and `logout` ends the one its token names.
 */
export const COMMAND_ACCESS = {
  auth: "open",
  logout: "open",
  send: "session",
  inbox: "session",
  group: "session",
} as const satisfies Record<ClassicRequest["kind"], "open" | "session">;

type OpenKind = { [K in ClassicRequest["kind"]]: (typeof COMMAND_ACCESS)[K] extends "open" ? K : never }[ClassicRequest["kind"]];
type OpenRequest = Extract<ClassicRequest, { readonly kind: OpenKind }>;
type SessionRequest = Exclude<ClassicRequest, OpenRequest>;

const isOpen = (request: ClassicRequest): request is OpenRequest => COMMAND_ACCESS[request.kind] === "open";

function runOpen(services: RealmServices, client: ClassicClient, request: OpenRequest): CommandResult {
  switch (request.kind) {
    case "auth":
      return handleAuth(services.sessions, client.peer, request);
    case "logout":
      return handleLogout(services.sessions, request);
    default: {
      const unreachable: never = request;
      throw new TypeError(`unhandled request ${JSON.stringify(unreachable)}`);
    }
  }
}

function runSignedIn(services: RealmServices, client: ClassicClient, request: SessionRequest, user: UserRecord): CommandResult {
  switch (request.kind) {
    case "send":
      return handleSend(services.messaging, request, user);
    case "inbox":
      return handleInbox(services.inbox, user);
    case "group":
      return handleGroup(services.groups, client, request, user);
    default: {
      const unreachable: never = request;
      throw new TypeError(`unhandled request ${JSON.stringify(unreachable)}`);
    }
  }
}

async function run(services: RealmServices, client: ClassicClient, request: ClassicRequest): CommandResult {
  if (isOpen(request)) return runOpen(services, client, request);
  return runSignedIn(services, client, request, await services.sessions.requireUser(request.token));
}

/** Serves one classic request; a refused one becomes the classic error reply. */
export async function dispatchClassic(
  services: RealmServices,
  client: ClassicClient,
  request: ClassicRequest,
  meter: Pick<RealmMeter, "refused">,
): CommandResult {
  try {
    return await run(services, client, request);
  } catch (err) {
    if (!(err instanceof RequestError)) throw err;
    meter.refused(err.code);
    return { reply: errorReply(err.code, err.message) };
  }
}
