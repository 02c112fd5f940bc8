import type { Duplex } from "node:stream";
import { DEFAULT_MAX_FRAME_BYTES } from "@realmchat/protocol";
import { ClientConnection } from "./client-connection.ts";
import { Federation } from "./federation/federation.ts";
import { FlushScheduler } from "@realmchat/protocol";
import { GroupHub } from "./group-hub.ts";
import { silentLogger, type Logger } from "./logger.ts";
import type { RealmStore } from "./store/realm-store.ts";

export interface RealmLimits {
  /** Largest request line, in bytes; a longer one closes the connection. */
  readonly maxFrameBytes: number;
  /** Requests a client may have waiting before its socket stops being read. */
  readonly maxPendingRequests: number;
  /** Output a client may leave unread before it is disconnected. */
  readonly maxOutboundBytes: number;
  /** Pause around the bare `exit` marker so it arrives in a read of its own (seed quirk). */
  readonly groupExitPauseMs: number;
}

export const DEFAULT_LIMITS: RealmLimits = {
  maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
  maxPendingRequests: 256,
  maxOutboundBytes: 8 * 1024 * 1024,
  groupExitPauseMs: 50,
};

export interface RealmOptions {
  readonly name: string;
  readonly store: RealmStore;
  readonly limits?: Partial<RealmLimits>;
  readonly logger?: Logger;
}

/** One realm: its users, sessions, inboxes and groups. It serves streams; it does not listen. */
export class Realm {
  readonly name: string;
  readonly store: RealmStore;
  readonly limits: RealmLimits;
  readonly logger: Logger;
  readonly federation: Federation;
  readonly groups: GroupHub;
  readonly scheduler = new FlushScheduler();
  readonly #connections = new Set<ClientConnection>();

  constructor(options: RealmOptions) {
    this.name = options.name;
    this.store = options.store;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.logger = options.logger ?? silentLogger;
    this.federation = new Federation(this.name, this.store, this.logger);
    this.groups = new GroupHub(this.name, this.federation);
    this.federation.bindHub(this.groups);
  }

  /** Serves one client over any duplex byte stream (a TCP socket, a pipe, a TLS stream). */
  handle(stream: Duplex, peer = "stream"): ClientConnection {
    const connection = new ClientConnection(this, stream, peer);
    this.#connections.add(connection);
    return connection;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  forget(connection: ClientConnection): void {
    this.#connections.delete(connection);
  }

  /** Closes every client connection; the store is the caller's to close. */
  close(): void {
    for (const connection of this.#connections) connection.close();
    this.#connections.clear();
  }
}
