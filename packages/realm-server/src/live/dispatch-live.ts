import type { LiveReply, LiveRequest } from "@realmchat/protocol";
import { LiveRequestError } from "./live-errors.ts";
import type { LiveConnection } from "./live-connection.ts";
import { opAck } from "./ops/ack.ts";
import { opAuth } from "./ops/auth.ts";
import { opGroups } from "./ops/groups.ts";
import { opHello } from "./ops/hello.ts";
import { opInbox } from "./ops/inbox.ts";
import { opJoin } from "./ops/join.ts";
import { opLeave } from "./ops/leave.ts";
import { opLogout } from "./ops/logout.ts";
import type { OpResult } from "./ops/op-types.ts";
import { opResume } from "./ops/resume.ts";
import { opSay } from "./ops/say.ts";
import { opSend } from "./ops/send.ts";
import { opWho } from "./ops/who.ts";

function run(conn: LiveConnection, request: LiveRequest): OpResult {
  switch (request.op) {
    case "hello":
      return opHello(conn, request);
    case "auth":
      return opAuth(conn, request);
    case "resume":
      return opResume(conn, request);
    case "logout":
      return opLogout(conn, request);
    case "send":
      return opSend(conn, request);
    case "inbox":
      return opInbox(conn, request);
    case "ack":
      return opAck(conn, request);
    case "join":
      return opJoin(conn, request);
    case "leave":
      return opLeave(conn, request);
    case "say":
      return opSay(conn, request);
    case "groups":
      return opGroups(conn, request);
    case "who":
      return opWho(conn, request);
    default: {
      const unreachable: never = request;
      throw new TypeError(`unhandled live request ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Serves one request and turns its outcome into the reply. */
export async function dispatchLive(conn: LiveConnection, request: LiveRequest): Promise<LiveReply> {
  try {
    return { re: request.id, ok: true, ...(await run(conn, request)) };
  } catch (err) {
    if (err instanceof LiveRequestError) return { re: request.id, ok: false, code: err.code, message: err.message };
    throw err;
  }
}
