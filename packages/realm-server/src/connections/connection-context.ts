import type { RealmLimits } from "../limits.ts";
import type { RealmServices } from "../services/realm-services.ts";
import type { Presence } from "../presence/presence.ts";
import type { TransportContext } from "./client-transport.ts";
import type { ClientSendLedger } from "./live/client-send-ledger.ts";
import type { RealmMeter } from "../metrics/realm-meter.ts";

/** An open client connection, as the set of open connections keeps it. */
export interface OpenConnection {
  /** The user this connection acts for, once it has said (live: logged in; classic: in a group). */
  readonly user: string | undefined;
  /** The client's address (`host:port`, `ws host:port`). */
  readonly peer: string;
  /** When it connected (ms since the epoch). */
  readonly openedAt: number;
  /** Shows the client a line from the realm's operator; false when its protocol cannot show one now (classic, outside a group). */
  notify(text: string): boolean;
  /** The operator took this connection's user out of group `name`, homed here: it leaves the fan-out, told `text`. False if not in it. */
  removeFromGroup(name: string, text: string): boolean;
  close(lastWords?: string): void;
  /** Closes the connection if it is past one of its time limits (partial line, login). */
  checkDeadlines(now: number): void;
}

/** An open connection as the operator sees it (`realm-server sessions`). */
export interface ConnectionSummary {
  /** Absent until the connection says who it is. */
  readonly user?: string;
  readonly peer: string;
  readonly protocol: ClientProtocol;
  readonly since: number;
}

/** `undecided`: connected, and has not sent its first byte, which picks the protocol. */
export type ClientProtocol = "classic" | "live" | "websocket" | "undecided";

/** Where a connection reports that it has closed. */
export interface ConnectionRegistry {
  forget(connection: OpenConnection): void;
}

/** What a client connection is given: never the realm, only its services and plumbing. */
export interface ConnectionContext extends TransportContext {
  readonly limits: RealmLimits;
  readonly services: RealmServices;
  readonly presence: Presence;
  readonly registry: ConnectionRegistry;
  readonly clientSends: ClientSendLedger;
  readonly meter: RealmMeter;
}
