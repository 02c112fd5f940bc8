import {
  formatGroupRef,
  parseAddress,
  type Address,
  type GroupRef,
  type LiveOp,
  type LiveRequest,
  type LiveResult,
  type RequestId,
} from "@realmchat/protocol";
import type { LocalGroupMember } from "../../../groups/group-bus.ts";
import { RequestError } from "../../../request-error.ts";
import type { SessionService } from "../../../services/session-service.ts";
import type { Awaitable, Session, UserRecord } from "../../../store/realm-store.ts";

export type OpRequest<K extends LiveOp> = Extract<LiveRequest, { op: K }>;

/** Who hears a LaterReply's outcome: the connection, which owes request `re` its answer. */
export interface LaterReplyListener {
  replied(re: RequestId, result: LiveResult<LiveOp>): void;
  refused(re: RequestId, error: unknown): void;
}

/**
 * An op's result that comes later (a `send` once committed, or once the other realm answered):
 * the connection goes on with its next request meanwhile (docs/protocol.md, "Live protocol").
 * Settled by whoever does the work, heard by the connection: an object, not a promise, as every
 * send and say makes one.
 */
export class LaterReply<K extends LiveOp> {
  #state: "waiting" | "replied" | "refused" = "waiting";
  /** The result once replied, the error once refused. */
  #value: unknown;
  #listener: LaterReplyListener | undefined;
  #re: RequestId = 0;

  resolve(result: LiveResult<K>): void {
    this.#settle("replied", result);
  }

  reject(error: unknown): void {
    this.#settle("refused", error);
  }

  /** `listener` hears the outcome for request `re` when it comes (at once if it came already). */
  listen(listener: LaterReplyListener, re: RequestId): void {
    this.#listener = listener;
    this.#re = re;
    this.#tell();
  }

  /** The first outcome counts, as a promise's would. */
  #settle(state: "replied" | "refused", value: unknown): void {
    if (this.#state !== "waiting") return;
    this.#state = state;
    this.#value = value;
    this.#tell();
  }

  #tell(): void {
    const listener = this.#listener;
    if (listener === undefined || this.#state === "waiting") return;
    if (this.#state === "replied") listener.replied(this.#re, this.#value as LiveResult<K>);
    else listener.refused(this.#re, this.#value);
  }

  /** A LaterReply settled by `promise`. */
  static of<K extends LiveOp>(promise: Promise<LiveResult<K>>): LaterReply<K> {
    const later = new LaterReply<K>();
    promise.then(
      (result) => later.resolve(result),
      (err: unknown) => later.reject(err),
    );
    return later;
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
  /** The private messages handed to this client and not yet acknowledged, in order. */
  readonly deliveries: DeliveryLog;
}

import type { DeliveryLog } from "../delivery-log.ts";

const NOT_LOGGED_IN = "not logged in (auth or resume first)";

/**
 * The logged-in user of the connection, its session's idle clock reset; else SESSION_NOT_FOUND
 * (and the connection unbound). At once, without a promise, when the store has it in memory.
 * Asked once per request by the dispatcher, for the ops its table (OP_ACCESS) says need a session.
 */
export function requireUser(sessions: SessionService, client: LiveClient): Awaitable<UserRecord> {
  const session = client.session;
  let user: Awaitable<UserRecord>;
  try {
    if (session === undefined) throw new RequestError("SESSION_NOT_FOUND", NOT_LOGGED_IN);
    user = sessions.requireUser(session.token, NOT_LOGGED_IN);
  } catch (err) {
    client.unbind();
    throw err;
  }
  if (user instanceof Promise) {
    return user.catch((err: unknown) => {
      client.unbind();
      throw err;
    });
  }
  return user;
}

/** The parsed form of an address the decoder has already validated. */
export function addressOf(text: string): Address {
  return parseAddress(text) as Address;
}

/** The joined group a request names: `name@home` exactly, or a bare name if only one matches. */
export function findJoined(client: LiveClient, text: string): GroupRef {
  const address = addressOf(text);
  const exact = client.joined.get(formatGroupRef({ name: address.user, home: address.realm ?? client.realm }));
  const found =
    exact ?? [...client.joined.values()].find((g) => g.name === address.user && (address.realm === undefined || g.home === address.realm));
  if (found === undefined) throw new RequestError("INVALID_ARGUMENT", `not in group '${text}' (join it first)`);
  return found;
}
