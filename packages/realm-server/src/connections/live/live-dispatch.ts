import type { LiveOp, LiveReply, LiveRequest, LiveResult } from "@realmchat/protocol";
import { RequestError } from "../../request-error.ts";
import type { RealmServices } from "../../services/realm-services.ts";
import { opAck } from "./ops/ack.ts";
import { opAuth } from "./ops/auth.ts";
import { opGroups } from "./ops/groups.ts";
import { opHello } from "./ops/hello.ts";
import { opInbox } from "./ops/inbox.ts";
import { opJoin } from "./ops/join.ts";
import { opLeave } from "./ops/leave.ts";
import { LaterReply, type LiveClient } from "./ops/live-op.ts";
import { opLogout } from "./ops/logout.ts";
import { opResume } from "./ops/resume.ts";
import { opSay } from "./ops/say.ts";
import { opSend } from "./ops/send.ts";
import { opWho } from "./ops/who.ts";

function run(s: RealmServices, client: LiveClient, request: LiveRequest): Promise<LiveResult<LiveOp> | LaterReply<LiveOp>> {
  switch (request.op) {
    case "hello":
      return opHello(client, request);
    case "auth":
      return opAuth(s.sessions, client, request);
    case "resume":
      return opResume(s.sessions, client, request);
    case "logout":
      return opLogout(s.sessions, client, request);
    case "send":
      return opSend(s.sessions, s.messaging, client, request);
    case "inbox":
      return opInbox(s.sessions, s.inbox, client, request);
    case "ack":
      return opAck(s.sessions, s.inbox, client, request);
    case "join":
      return opJoin(s.sessions, s.groups, client, request);
    case "leave":
      return opLeave(s.sessions, s.groups, client, request);
    case "say":
      return opSay(s.sessions, s.groups, client, request);
    case "groups":
      return opGroups(s.sessions, s.groups, client, request);
    case "who":
      return opWho(s.sessions, s.groups, client, request);
    default: {
      const unreachable: never = request;
      throw new TypeError(`unhandled live request ${JSON.stringify(unreachable)}`);
    }
  }
}

/** A reply now, or one that comes later while the connection goes on (LaterReply). */
export type Dispatched = { readonly now: LiveReply } | { readonly later: Promise<LiveReply> };

/** Serves one request; a refused one becomes the live error reply. */
export async function dispatchLive(services: RealmServices, client: LiveClient, request: LiveRequest): Promise<Dispatched> {
  const refused = (err: unknown): LiveReply => {
    if (err instanceof RequestError) return { re: request.id, ok: false, code: err.code, message: err.message };
    throw err;
  };
  try {
    const result = await run(services, client, request);
    if (result instanceof LaterReply) return { later: result.result.then((r) => ({ re: request.id, ok: true, ...r }), refused) };
    return { now: { re: request.id, ok: true, ...result } };
  } catch (err) {
    return { now: refused(err) };
  }
}
