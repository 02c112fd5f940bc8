import type { RealmLimits } from "../limits.ts";
import type { RealmServices } from "../services/realm-services.ts";
import type { Presence } from "../presence/presence.ts";
import type { TransportContext } from "./client-transport.ts";
import type { ClientSendLedger } from "./live/client-send-ledger.ts";

/** An open client connection, as the set of open connections keeps it. */
export interface OpenConnection {
  /** The user this connection acts for, once it has said (live: logged in; classic: in a group). */
  readonly user: string | undefined;
  close(): void;
  /** Closes the connection if it is past one of its time limits (partial line, login). */
  checkDeadlines(now: number): void;
}

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
}
