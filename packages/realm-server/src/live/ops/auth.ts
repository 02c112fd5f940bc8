import { authenticate } from "../../messaging/authenticate.ts";
import { LiveRequestError } from "../live-errors.ts";
import type { LiveConnection } from "../live-connection.ts";
import type { OpRequest, OpResult } from "./op-types.ts";

export async function opAuth(conn: LiveConnection, req: OpRequest<"auth">): OpResult {
  const session = await authenticate(conn.realm, req.user, req.password, conn.peer);
  if (session === undefined) throw new LiveRequestError("AUTH_FAILED", "invalid username or password");
  conn.bind(session);
  return { token: session.token, user: session.username, realm: conn.realm.name };
}
