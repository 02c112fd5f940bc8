import type { LiveOp, LiveReply, LiveRequest, LiveResult, RequestId } from "@realmchat/protocol";
import { RequestError } from "../../request-error.ts";
import type { RealmServices } from "../../services/realm-services.ts";
import type { Awaitable } from "../../store/realm-store.ts";
import { opAck } from "./ops/ack.ts";
import { opAuth } from "./ops/auth.ts";
import { opGroups } from "./ops/groups.ts";
import { opHello } from "./ops/hello.ts";
import { opHistory } from "./ops/history.ts";
import { opMarkers } from "./ops/markers.ts";
import { opRead } from "./ops/read.ts";
import type { ClientSendLedger } from "./client-send-ledger.ts";
import { opInbox } from "./ops/inbox.ts";
import { opJoin } from "./ops/join.ts";
import { opLeave } from "./ops/leave.ts";
import { LaterReply, type LiveClient } from "./ops/live-op.ts";
import { opLogout } from "./ops/logout.ts";
import { opResume } from "./ops/resume.ts";
import { opSay } from "./ops/say.ts";
import { opSend } from "./ops/send.ts";
import { opWho } from "./ops/who.ts";

/** What the live ops are given: the realm's services, and the client ids of sends already made. */
export interface LiveServices {
  readonly services: RealmServices;
  readonly clientSends: ClientSendLedger;
}

/** A send or say with a client id is made once per user and id; a repeat gets the first one's answer. */
function once<K extends "send" | "say">(
  { clientSends }: LiveServices,
  client: LiveClient,
  request: { readonly cid?: string },
  made: () => Awaitable<LaterReply<K>>,
): Awaitable<LaterReply<K>> {
  const username = client.session?.username;
  return request.cid === undefined || username === undefined ? made() : clientSends.once(username, request.cid, made);
}

function run(live: LiveServices, client: LiveClient, request: LiveRequest): Awaitable<LiveResult<LiveOp> | LaterReply<LiveOp>> {
  const s = live.services;
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
      return once(live, client, request, () => opSend(s.sessions, s.messaging, client, request));
    case "inbox":
      return opInbox(s.sessions, s.inbox, client, request);
    case "ack":
      return opAck(s.sessions, s.inbox, client, request);
    case "join":
      return opJoin(s.sessions, s.groups, client, request);
    case "leave":
      return opLeave(s.sessions, s.groups, client, request);
    case "say":
      return once(live, client, request, () => opSay(s.sessions, s.groups, client, request));
    case "groups":
      return opGroups(s.sessions, s.groups, client, request);
    case "who":
      return opWho(s.sessions, s.groups, client, request);
    case "history":
      return opHistory(s.sessions, s.groups, client, request);
    case "read":
      return opRead(s.sessions, s.markers, client, request);
    case "markers":
      return opMarkers(s.sessions, s.markers, client, request);
    default: {
      const unreachable: never = request;
      throw new TypeError(`unhandled live request ${JSON.stringify(unreachable)}`);
    }
  }
}

/** A reply now, or one that comes later while the connection goes on (LaterReply). */
export type Dispatched = LiveReply | LaterReply<LiveOp>;

/**
 * Serves one request; a refused one becomes the live error reply. An op that can answer without
 * waiting (a send whose session, user and inbox size are in memory) is served without a promise.
 */
export function dispatchLive(services: LiveServices, client: LiveClient, request: LiveRequest): Awaitable<Dispatched> {
  let result: Awaitable<LiveResult<LiveOp> | LaterReply<LiveOp>>;
  try {
    result = run(services, client, request);
  } catch (err) {
    return refusalReply(request.id, err);
  }
  if (result instanceof Promise) {
    return result.then(
      (r) => (r instanceof LaterReply ? r : { re: request.id, ok: true, ...r }),
      (err: unknown) => refusalReply(request.id, err),
    );
  }
  return result instanceof LaterReply ? result : { re: request.id, ok: true, ...result };
}

/** The error reply to request `re` for a refusal (a RequestError); anything else is rethrown. */
export function refusalReply(re: RequestId, err: unknown): LiveReply {
  if (err instanceof RequestError) return { re, ok: false, code: err.code, message: err.message };
  throw err;
}
