import type { LiveRequest } from "@realmchat/protocol";
import type { UserRecord } from "../../store/realm-store.ts";
import { LiveRequestError } from "../live-errors.ts";
import type { LiveConnection } from "../live-connection.ts";

export type OpRequest<K extends LiveRequest["op"]> = Extract<LiveRequest, { op: K }>;
/** What an op answers with, besides `re` and `ok` (errors are thrown as LiveRequestError). */
export type OpResult = Promise<Readonly<Record<string, unknown>>>;

/** The logged-in user of the connection, its session's idle clock reset; else SESSION_NOT_FOUND. */
export async function requireUser(conn: LiveConnection): Promise<UserRecord> {
  const session = conn.session;
  const live = session === undefined ? undefined : await conn.realm.store.sessions.touch(session.token);
  const user = live === undefined ? undefined : await conn.realm.store.users.get(live.username);
  if (user === undefined) {
    conn.unbind();
    throw new LiveRequestError("SESSION_NOT_FOUND", "not logged in (auth or resume first)");
  }
  return user;
}
