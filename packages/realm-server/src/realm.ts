import type { Duplex } from "node:stream";
import type { ClientStream } from "./connections/client-transport.ts";
import { FlushScheduler, silentLogger, type Logger } from "@realmchat/node-runtime";
import { acceptClient, type ClientProtocols } from "./connections/accept-client.ts";
import { ClassicConnection } from "./connections/classic/classic-connection.ts";
import type {
  ClientProtocol,
  ConnectionContext,
  ConnectionRegistry,
  ConnectionSummary,
  OpenConnection,
} from "./connections/connection-context.ts";
import { LiveConnection } from "./connections/live/live-connection.ts";
import { FederatedGroupRelay } from "./federation/federated-group-relay.ts";
import { Federation } from "./federation/federation.ts";
import { BridgeLinkPort, type FederationPort } from "./federation/federation-port.ts";
import type { GroupBus } from "./groups/group-bus.ts";
import type { OutboundRelayFactory } from "./federation/outbound-relay.ts";
import { LocalGroupBus } from "./groups/local-group-bus.ts";
import { DEFAULT_LIMITS, type RealmLimits } from "./limits.ts";
import { LocalPresence } from "./presence/local-presence.ts";
import type { Presence } from "./presence/presence.ts";
import { GroupService } from "./services/group-service.ts";
import { InboxService } from "./services/inbox-service.ts";
import { PrivateHandOff } from "./services/private-hand-off.ts";
import { PrivateMessaging } from "./services/private-messaging.ts";
import type { RealmServices } from "./services/realm-services.ts";
import { SessionService } from "./services/session-service.ts";
import { ReadMarkerService } from "./services/read-marker-service.ts";
import { ClientSendLedger } from "./connections/live/client-send-ledger.ts";
import type { RealmStore } from "./store/realm-store.ts";
import { LoginThrottle } from "./throttle/login-throttle.ts";
import { UserRateLimits } from "./throttle/user-rate-limits.ts";
import { RealmMeter } from "./metrics/realm-meter.ts";

const EMPTY = Buffer.alloc(0);

export interface RealmOptions {
  readonly name: string;
  readonly store: RealmStore;
  readonly limits?: Partial<RealmLimits>;
  readonly logger?: Logger;
  // What several instances of one realm must share; each defaults to its in-process version.
  readonly presence?: Presence;
  readonly groups?: GroupBus;
  readonly federationPort?: FederationPort;
  readonly outboundRelay?: OutboundRelayFactory;
}

/**
 * One realm, put together: its store, services, group fan-out, presence and federation. It serves
 * client streams (`handle`); listening on ports is the caller's business.
 */
export class Realm {
  readonly name: string;
  readonly limits: RealmLimits;
  readonly logger: Logger;
  readonly scheduler = new FlushScheduler();
  readonly services: RealmServices;
  readonly federation: Federation;
  /** What the realm has done, counted for the metrics listener. */
  readonly meter = new RealmMeter();
  readonly #open = new Set<OpenConnection>();
  readonly #rates: UserRateLimits;
  readonly #deadlines: NodeJS.Timeout;
  readonly #protocols: ClientProtocols;
  readonly #groups: GroupBus;
  readonly #handOff: PrivateHandOff;
  readonly #context: ConnectionContext;
  readonly #overWebSocket = new WeakSet<OpenConnection>();

  constructor(options: RealmOptions) {
    const { name, store } = options;
    this.name = name;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const logger = (this.logger = options.logger ?? silentLogger);
    const port = options.federationPort ?? new BridgeLinkPort();
    const presence = options.presence ?? new LocalPresence();
    const groups = (this.#groups =
      options.groups ?? new LocalGroupBus(name, new FederatedGroupRelay(name, port), store.groups, this.limits.groupHistory, logger));
    const handOff = (this.#handOff = new PrivateHandOff({
      inboxes: store.inboxes,
      presence,
      holdMs: this.limits.handOffMs,
      maxHeld: this.limits.maxHeldMessages,
    }));
    const federation = (this.federation = new Federation({
      realm: name,
      store,
      port,
      groups,
      presence,
      handOff,
      logger,
      remoteAnswerMs: this.limits.remoteAnswerMs,
      maxInboxMessages: this.limits.maxInboxMessages,
      groupHistory: this.limits.groupHistory,
      meter: this.meter,
      ...(options.outboundRelay === undefined ? {} : { outboundRelay: options.outboundRelay }),
    }));
    const meter = this.meter;
    const rates = (this.#rates = new UserRateLimits(this.limits, meter));
    const logins = new LoginThrottle(this.limits);
    this.services = {
      realm: name,
      sessions: new SessionService({ users: store.users, sessions: store.sessions, logger, logins, rates, meter }),
      messaging: new PrivateMessaging({
        realm: name,
        users: store.users,
        inboxes: store.inboxes,
        maxInboxMessages: this.limits.maxInboxMessages,
        handOff,
        directory: federation.directory,
        outbound: federation.outbound,
        meter,
      }),
      groups: new GroupService({ realm: name, groupStore: store.groups, groups, federation, logger, rates, meter }),
      inbox: new InboxService(
        store.inboxes,
        { pageMessages: this.limits.inboxPageMessages, pageChars: this.limits.inboxPageChars },
        handOff,
      ),
      markers: new ReadMarkerService(store.markers, presence),
    };
    const registry: ConnectionRegistry = { forget: (connection) => this.#open.delete(connection) };
    const context: ConnectionContext = {
      limits: this.limits,
      scheduler: this.scheduler,
      logger,
      services: this.services,
      presence,
      registry,
      clientSends: new ClientSendLedger(),
      meter,
    };
    // One sweep for every connection's time limits, not a timer per connection.
    this.#deadlines = setInterval(() => {
      const now = Date.now();
      for (const connection of this.#open) connection.checkDeadlines(now);
    }, 1000);
    this.#deadlines.unref();
    this.#protocols = {
      classic: (stream, peer, first) => {
        const connection = new ClassicConnection(context, stream, peer);
        this.#open.add(connection);
        connection.receive(first);
      },
      live: (stream, peer, first) => this.#openLive(context, stream, peer).receive(first),
    };
    this.#context = context;
  }

  /**
   * Serves one client over any duplex byte stream (a TCP socket, a pipe, a TLS stream); the first
   * byte picks the protocol.
   */
  handle(stream: Duplex, peer = "stream"): void {
    this.logger.info("client connected", { peer });
    acceptClient(stream, peer, this.#protocols, this.#open, this.limits);
  }

  /** Serves one live-protocol client over a stream that carries nothing else (a WebSocket). */
  handleLive(stream: ClientStream, peer: string): void {
    this.logger.info("client connected", { peer });
    const connection = this.#openLive(this.#context, stream, peer);
    this.#overWebSocket.add(connection);
    connection.receive(EMPTY);
  }

  #openLive(context: ConnectionContext, stream: ClientStream, peer: string): LiveConnection {
    const connection = new LiveConnection(context, stream, peer);
    this.#open.add(connection);
    return connection;
  }

  get connectionCount(): number {
    return this.#open.size;
  }

  #protocolOf(connection: OpenConnection): ClientProtocol {
    if (connection instanceof ClassicConnection) return "classic";
    if (connection instanceof LiveConnection) return this.#overWebSocket.has(connection) ? "websocket" : "live";
    return "undecided";
  }

  /** Open client connections by protocol: classic, live over TCP, live over a WebSocket. */
  connectionsByProtocol(): Record<ClientProtocol, number> {
    const counts = { classic: 0, live: 0, websocket: 0, undecided: 0 };
    for (const connection of this.#open) counts[this.#protocolOf(connection)]++;
    return counts;
  }

  /** Every open client connection, oldest first (`realm-server sessions`). */
  connections(): ConnectionSummary[] {
    return [...this.#open]
      .map((c) => ({ ...(c.user === undefined ? {} : { user: c.user }), peer: c.peer, protocol: this.#protocolOf(c), since: c.openedAt }))
      .sort((a, b) => a.since - b.since);
  }

  /** Closes every connection of `user`, telling each `why` first where its protocol can; how many. */
  closeConnectionsOf(user: string, why: string): number {
    const theirs = [...this.#open].filter((c) => c.user === user);
    for (const connection of theirs) {
      connection.notify(why);
      connection.close();
    }
    return theirs.length;
  }

  /** Shows `text` to every connection that can show it now; how many did. */
  notifyAll(text: string): number {
    let told = 0;
    for (const connection of this.#open) if (connection.notify(text)) told++;
    return told;
  }

  /** Takes `user`'s connections out of group `name` (homed here), each told `text`; how many were in it. */
  removeFromGroup(name: string, user: string, text: string): number {
    let removed = 0;
    for (const connection of this.#open) if (connection.user === user && connection.removeFromGroup(name, text)) removed++;
    return removed;
  }

  /** How many are in a group homed here now, on any realm. */
  groupsOnline(name: string): number {
    return this.#groups.members(name).length;
  }

  /** Users with a connection that has said who it is, each once, sorted. */
  onlineUsers(): string[] {
    const users = new Set<string>();
    for (const connection of this.#open) if (connection.user !== undefined) users.add(connection.user);
    return [...users].sort();
  }

  /** Closes every client connection, storing the messages still held for them; the store is the caller's to close. */
  close(): void {
    this.#handOff.flush();
    for (const connection of this.#open) connection.close();
    this.#open.clear();
    this.federation.close();
    this.#rates.close();
    clearInterval(this.#deadlines);
  }
}
