import type { LiveOp, LiveReply, LiveRequest, LiveResult, RequestId } from "@realmchat/protocol";
import type { RealmMeter } from "../../metrics/realm-meter.ts";
import { RequestError } from "../../request-error.ts";
import type { RealmServices } from "../../services/realm-services.ts";
import type { Awaitable, UserRecord } from "../../store/realm-store.ts";
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
import { LaterReply, requireUser, type LiveClient } from "./ops/live-op.ts";
import { opLogout } from "./ops/logout.ts";
import { opResume } from "./ops/resume.ts";
import { opSay } from "./ops/say.ts";
import { opSend } from "./ops/send.ts";
import { opWho } from "./ops/who.ts";

/** What the live ops are given: the realm's services, and the client ids of sends already made. */
export interface LiveServices {
  readonly services: RealmServices;
  readonly clientSends: ClientSendLedger;
  /** Counts refusals by code (metrics). */
  readonly meter: Pick<RealmMeter, "refused">;
}

/**
 * Which ops a connection may ask for before it has logged in: every other one needs a session. The
 * dispatcher checks it here, once, and hands the op its user (as Ergo's command table says which
 * commands need a login), so no op checks it itself.
 */
export const OP_ACCESS = {
  hello: "open",
  auth: "open",
  resume: "open",
  logout: "session",
  send: "session",
  inbox: "session",
  ack: "session",
  join: "session",
  leave: "session",
  say: "session",
  groups: "session",
  who: "session",
  history: "session",
  read: "session",
  markers: "session",
} as const satisfies Record<LiveOp, "open" | "session">;

type OpenOp = { [K in LiveOp]: (typeof OP_ACCESS)[K] extends "open" ? K : never }[LiveOp];
type OpenRequest = Extract<LiveRequest, { readonly op: OpenOp }>;
type SessionRequest = Exclude<LiveRequest, OpenRequest>;

const isOpen = (request: LiveRequest): request is OpenRequest => OP_ACCESS[request.op] === "open";

type Served = Awaitable<LiveResult<LiveOp> | LaterReply<LiveOp>>;

/** A send or say with a client id is made once per user and id; a repeat gets the first one's answer. */
function once<K extends "send" | "say">(
  { clientSends }: LiveServices,
  user: UserRecord,
  request: { readonly cid?: string },
  made: () => Awaitable<LaterReply<K>>,
): Awaitable<LaterReply<K>> {
  return request.cid === undefined ? made() : clientSends.once(user.username, request.cid, made);
}

function runOpen(s: RealmServices, client: LiveClient, request: OpenRequest): Served {
  switch (request.op) {
    case "hello":
      return opHello(client, request);
    case "auth":
      return opAuth(s.sessions, client, request);
    case "resume":
      return opResume(s.sessions, client, request);
    default: {
      const unreachable: never = request;
      throw new TypeError(`unhandled live request ${JSON.stringify(unreachable)}`);
    }
  }
}

function runSignedIn(live: LiveServices, client: LiveClient, request: SessionRequest, user: UserRecord): Served {
  const s = live.services;
  switch (request.op) {
    case "logout":
      return opLogout(s.sessions, client, request);
    case "send":
      return once(live, user, request, () => opSend(s.messaging, request, user));
    case "inbox":
      return opInbox(s.inbox, client, request, user);
    case "ack":
      return opAck(s.inbox, client, request, user);
    case "join":
      return opJoin(s.groups, client, request, user);
    case "leave":
      return opLeave(s.groups, client, request, user);
    case "say":
      return once(live, user, request, () => opSay(s.groups, client, request));
    case "groups":
      return opGroups(s.groups, client, request);
    case "who":
      return opWho(s.groups, client, request, user);
    case "history":
      return opHistory(s.groups, client, request, user);
    case "read":
      return opRead(s.markers, request, user);
    case "markers":
      return opMarkers(s.markers, request, user);
    default: {
      const unreachable: never = request;
      throw new TypeError(`unhandled live request ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The session checked once, by the table; at once, without a promise, when the store has it in memory. */
function run(live: LiveServices, client: LiveClient, request: LiveRequest): Served {
  if (isOpen(request)) return runOpen(live.services, client, request);
  const user = requireUser(live.services.sessions, client);
  return user instanceof Promise ? user.then((u) => runSignedIn(live, client, request, u)) : runSignedIn(live, client, request, user);
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
    return refusalReply(request.id, err, services.meter);
  }
  if (result instanceof Promise) {
    return result.then(
      (r) => (r instanceof LaterReply ? r : { re: request.id, ok: true, ...r }),
      (err: unknown) => refusalReply(request.id, err, services.meter),
    );
  }
  return result instanceof LaterReply ? result : { re: request.id, ok: true, ...result };
}

/** The error reply to request `re` for a refusal (a RequestError); anything else is rethrown. */
export function refusalReply(re: RequestId, err: unknown, meter: Pick<RealmMeter, "refused">): LiveReply {
  if (!(err instanceof RequestError)) throw err;
  meter.refused(err.code);
  return { re, ok: false, code: err.code, message: err.message };
}
