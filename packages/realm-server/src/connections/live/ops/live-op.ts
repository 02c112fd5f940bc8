import { formatGroupRef, parseAddress, type Address, type GroupRef, type LiveOp, type LiveRequest, type LiveResult } from "@realmchat/protocol";
import type { LocalGroupMember } from "../../../groups/group-bus.ts";
import { RequestError } from "../../../request-error.ts";
import type { SessionService } from "../../../services/session-service.ts";
import type { Session, UserRecord } from "../../../store/realm-store.ts";

export type OpRequest<K extends LiveOp> = Extract<LiveRequest, { op: K }>;

/**
 * An op's result that comes later (a `send` to another realm, answered when that realm has):
 * the connection goes on with its next request meanwhile (docs/protocol.md, "Live protocol").
 */
export class LaterReply<K extends LiveOp> {
  readonly result: Promise<LiveResult<K>>;

  constructor(result: Promise<LiveResult<K>>) {
    this.result = result;
  }
}
/** What an op answers with, besides `re` and `ok`; a refusal is thrown as a RequestError. */
export type OpResult<K extends LiveOp> = Promise<LiveResult<K>>;

/** A live connection as its ops see it: its session and the groups it is in. */
export interface LiveClient extends LocalGroupMember {
  readonly peer: string;
  readonly realm: string;
  readonly session: Session | undefined;
  /** Joined groups by `name@home`. */
  readonly joined: ReadonlyMap<string, GroupRef>;
  /** Binds the connection to a session (after auth or resume); events for that user come here. */
  bind(session: Session): void;
  /** Leaves every group and drops the session. */
  unbind(): void;
  addJoined(group: GroupRef): void;
  removeJoined(group: GroupRef): void;
}

const NOT_LOGGED_IN = "not logged in (auth or resume first)";

/** The logged-in user of the connection, its session's idle clock reset; else SESSION_NOT_FOUND. */
export async function requireUser(sessions: SessionService, client: LiveClient): Promise<UserRecord> {
  const session = client.session;
  try {
    if (session === undefined) throw new RequestError("SESSION_NOT_FOUND", NOT_LOGGED_IN);
    return await sessions.requireUser(session.token, NOT_LOGGED_IN);
  } catch (err) {
    client.unbind();
    throw err;
  }
}

/** The parsed form of an address the decoder has already validated. */
export function addressOf(text: string): Address {
  return parseAddress(text) as Address;
}

/** The joined group a request names: `name@home` exactly, or a bare name if only one matches. */
export function findJoined(client: LiveClient, text: string): GroupRef {
  const address = addressOf(text);
  const exact = client.joined.get(formatGroupRef({ name: address.user, home: address.realm ?? client.realm }));
  const found = exact ?? [...client.joined.values()].find((g) => g.name === address.user && (address.realm === undefined || g.home === address.realm));
  if (found === undefined) throw new RequestError("INVALID_ARGUMENT", `not in group '${text}' (join it first)`);
  return found;
}
