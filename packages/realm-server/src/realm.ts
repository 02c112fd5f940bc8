import type { Duplex } from "node:stream";
import { DEFAULT_MAX_FRAME_BYTES } from "@realmchat/protocol";
import { ClientConnection } from "./client-connection.ts";
import { Federation } from "./federation/federation.ts";
import { FlushScheduler } from "@realmchat/protocol";
import { GroupHub } from "./group-hub.ts";
import { LiveConnection } from "./live/live-connection.ts";
import { Presence } from "./live/presence.ts";
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
  /** Recent events kept per group and shown to a live client when it joins. */
  readonly groupHistory: number;
}

export const DEFAULT_LIMITS: RealmLimits = {
  maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
  maxPendingRequests: 256,
  maxOutboundBytes: 8 * 1024 * 1024,
  groupExitPauseMs: 50,
  groupHistory: 50,
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
  readonly presence = new Presence();
  readonly scheduler = new FlushScheduler();
  readonly #connections = new Set<ClientConnection>();
  readonly #live = new Set<LiveConnection>();

  constructor(options: RealmOptions) {
    this.name = options.name;
    this.store = options.store;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.logger = options.logger ?? silentLogger;
    this.federation = new Federation(this.name, this.store, this.logger, this.presence);
    this.groups = new GroupHub(this.name, this.federation, this.limits.groupHistory);
    this.federation.bindHub(this.groups);
  }

  /**
   * Serves one client over any duplex byte stream (a TCP socket, a pipe, a TLS stream). The
   * first byte picks the protocol (docs/protocol.md): `{` starts the live protocol, anything else
   * is a classic request line.
   */
  handle(stream: Duplex, peer = "stream"): void {
    const onFirst = (chunk: Buffer): void => {
      let i = 0;
      while (i < chunk.length && (chunk[i] === 0x20 || chunk[i] === 0x0d || chunk[i] === 0x0a || chunk[i] === 0x09)) i++;
      if (i === chunk.length) return;
      stream.off("data", onFirst);
      if (chunk[i] === 0x7b) {
        const live = new LiveConnection(this, stream, peer);
        this.#live.add(live);
        live.receive(chunk);
      } else {
        const classic = new ClientConnection(this, stream, peer);
        this.#connections.add(classic);
        classic.receive(chunk);
      }
    };
    stream.on("data", onFirst);
  }

  get connectionCount(): number {
    return this.#connections.size + this.#live.size;
  }

  forget(connection: ClientConnection): void {
    this.#connections.delete(connection);
  }

  forgetLive(connection: LiveConnection): void {
    this.#live.delete(connection);
  }

  /** Closes every client connection; the store is the caller's to close. */
  close(): void {
    for (const connection of this.#connections) connection.close();
    for (const connection of this.#live) connection.close();
    this.#connections.clear();
    this.#live.clear();
  }
}
