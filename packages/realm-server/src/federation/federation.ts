import {
  DedupWindow,
  DeliveryQueue,
  isErrorCode,
  isRoutedFrame,
  type FederationFrame,
  type FrameOf,
} from "@realmchat/protocol";
import { v4 as uuidv4 } from "uuid";
import type { GroupEventFact, GroupEventRelay, GroupHub, LocalGroupMember } from "../group-hub.ts";
import type { Presence } from "../live/presence.ts";
import type { Logger } from "../logger.ts";
import type { OutboxEntry, RealmStore } from "../store/realm-store.ts";
import { RemoteRejectedError } from "./federation-errors.ts";
import { InboundRelay } from "./inbound-relay.ts";
import { RemoteDirectory } from "./remote-directory.ts";

/** The realm's end of its link to its bridge. */
export interface BridgeLink {
  send(frame: FederationFrame): void;
  close(): void;
}

interface Waiter {
  resolve(result: { readonly queued: boolean }): void;
  reject(error: Error): void;
}

interface OutgoingDm {
  readonly frame: FrameOf<"dm">;
  waiter: Waiter | undefined;
}

export type OutgoingPrivateMessage = OutboxEntry;

/** How long a join of a remote group waits for the home's roster before answering without it. */
const ROSTER_WAIT_MS = 2000;

function dmFrame(realm: string, entry: OutboxEntry): FrameOf<"dm"> {
  return { t: "dm", id: entry.id, origin: realm, to: entry.to, from: entry.from, fromName: entry.fromName, user: entry.user, text: entry.text, sentAt: entry.sentAt };
}

/**
 * This realm's view of the federation: the other realms' directories, private messages out
 * (kept until the bridge takes them) and in (stored exactly once), and groups across realms.
 */
export class Federation implements GroupEventRelay {
  readonly directory = new RemoteDirectory();
  readonly #realm: string;
  readonly #store: RealmStore;
  readonly #logger: Logger;
  #hub: GroupHub | undefined;
  #bridge: BridgeLink | undefined;
  readonly #outbox = new DeliveryQueue<OutgoingDm>();
  readonly #inbound: InboundRelay;
  readonly #peersUp = new Set<string>();
  readonly #presence: Presence;
  readonly #rosterWaiters = new Map<string, Array<() => void>>();
  /** Messages a bridge holds (answered `queued`), by id: whom to tell once they are delivered. */
  readonly #queuedElsewhere = new DedupWindow<{ readonly from: string; readonly to: string }>(100_000);

  constructor(realm: string, store: RealmStore, logger: Logger, presence: Presence) {
    this.#realm = realm;
    this.#store = store;
    this.#logger = logger;
    this.#presence = presence;
    this.#inbound = new InboundRelay(realm, store.relayed, logger, (m) =>
      presence.messageStored({ id: m.id, from: m.from, fromName: m.fromName, to: m.user, toName: m.user, text: m.text, sentAt: m.sentAt }),
    );
  }

  /** Takes back the messages a previous run had not handed to the bridge yet, oldest first. */
  async loadOutbox(): Promise<number> {
    const entries = await this.#store.outbox.list();
    for (const entry of entries) this.#outbox.enqueue(entry.id, { frame: dmFrame(this.#realm, entry), waiter: undefined });
    this.#flushOutbox();
    return entries.length;
  }

  bindHub(hub: GroupHub): void {
    this.#hub = hub;
  }

  get #groups(): GroupHub {
    return this.#hub as GroupHub;
  }

  get bridgeConnected(): boolean {
    return this.#bridge !== undefined;
  }

  isPeerUp(realm: string): boolean {
    return this.#peersUp.has(realm);
  }

  get queuedCount(): number {
    return this.#outbox.size;
  }

  attach(bridge: BridgeLink): void {
    if (this.#bridge !== undefined && this.#bridge !== bridge) {
      const old = this.#bridge;
      this.detach(old);
      old.close();
    }
    this.#bridge = bridge;
    this.#logger.info("bridge linked", { queued: this.#outbox.size });
    void this.publishDirectory();
    this.#flushOutbox();
  }

  detach(bridge: BridgeLink): void {
    if (this.#bridge !== bridge) return;
    this.#bridge = undefined;
    this.#logger.warn("bridge link lost; private messages to other realms are queued here until it is back");
    for (const realm of [...this.#peersUp]) this.#peerDown(realm);
    for (const entry of this.#outbox.requeueAll()) this.#settle(entry.item, { queued: true });
  }

  #settle(dm: OutgoingDm, result: { readonly queued: boolean }): void {
    dm.waiter?.resolve(result);
    dm.waiter = undefined;
  }

  #flushOutbox(): void {
    const bridge = this.#bridge;
    if (bridge === undefined) return;
    for (let entry = this.#outbox.takeUnsent(); entry !== undefined; entry = this.#outbox.takeUnsent()) bridge.send(entry.item.frame);
  }

  /**
   * Hands a private message on: it is first committed to this realm's outbox, then resolves once
   * the recipient's realm stored it (or a bridge queued it). With no bridge linked, the committed
   * outbox entry is itself the durable queue.
   */
  async sendPrivate(message: OutgoingPrivateMessage): Promise<{ readonly queued: boolean }> {
    await this.#store.outbox.add(message);
    const frame = dmFrame(this.#realm, message);
    if (this.#bridge === undefined) {
      this.#outbox.enqueue(frame.id, { frame, waiter: undefined });
      return { queued: true };
    }
    return new Promise((resolve, reject) => {
      this.#outbox.enqueue(frame.id, { frame, waiter: { resolve, reject } });
      this.#flushOutbox();
    });
  }

  /** Sends this realm's users and groups to the bridge, which passes them to every peer. */
  async publishDirectory(): Promise<void> {
    const bridge = this.#bridge;
    if (bridge === undefined) return;
    const [users, groups] = await Promise.all([this.#store.users.list(), this.#store.groups.list()]);
    bridge.send({
      t: "directory",
      realm: this.#realm,
      users: users.map((u) => ({ user: u.username, name: u.displayName })),
      groups: groups.map((g) => g.name),
    });
  }

  relayGroupEvent(toRealm: string, group: string, event: GroupEventFact): void {
    this.#bridge?.send({
      t: "gevent",
      id: uuidv4(),
      origin: this.#realm,
      to: toRealm,
      group,
      kind: event.kind,
      user: event.user,
      realm: event.realm,
      ...(event.text === undefined ? {} : { text: event.text }),
    });
  }

  /** Joins a group homed elsewhere; resolves when its home sent the roster (or after a while without). */
  joinRemoteGroup(home: string, group: string, member: LocalGroupMember): Promise<void> {
    this.#groups.joinMirror(home, group, member);
    this.#bridge?.send({ t: "gjoin", id: uuidv4(), origin: this.#realm, to: home, group, user: member.username });
    return new Promise((resolve) => {
      const key = `${group}@${home}`;
      const waiters = this.#rosterWaiters.get(key) ?? [];
      waiters.push(resolve);
      this.#rosterWaiters.set(key, waiters);
      setTimeout(resolve, ROSTER_WAIT_MS).unref();
    });
  }

  leaveRemoteGroup(home: string, group: string, member: LocalGroupMember): void {
    this.#groups.leaveMirror(home, group, member);
    if (this.isPeerUp(home)) this.#bridge?.send({ t: "gleave", id: uuidv4(), origin: this.#realm, to: home, group, user: member.username });
  }

  sayInRemoteGroup(home: string, group: string, member: LocalGroupMember, text: string): void {
    if (this.#bridge === undefined || !this.isPeerUp(home)) {
      member.deliverGroupNotice(group, `not delivered: ${home} is unreachable`);
      return;
    }
    this.#bridge.send({ t: "gsay", id: uuidv4(), origin: this.#realm, to: home, group, user: member.username, text });
  }

  /** A frame from the bridge, already validated by the decoder. */
  onFrame(frame: FederationFrame): void {
    const routed = isRoutedFrame(frame) || frame.t === "batch";
    if (routed && (frame.to !== this.#realm || frame.origin === this.#realm)) {
      this.#logger.warn("dropped a misrouted frame", { t: frame.t, origin: frame.origin, to: frame.to });
      return;
    }
    switch (frame.t) {
      case "directory":
        if (frame.realm !== this.#realm) this.directory.set(frame.realm, frame.users, frame.groups);
        return;
      case "peer":
        if (frame.up) this.#peerUp(frame.realm);
        else this.#peerDown(frame.realm);
        return;
      case "ack":
        this.#onAck(frame);
        return;
      case "acks":
        for (const r of frame.results) this.#onAck({ t: "ack", origin: frame.origin, ...r });
        return;
      case "dm":
        void this.#inbound.dm(frame, this.#bridge);
        return;
      case "batch":
        void this.#inbound.batch(frame, this.#bridge);
        return;
      case "undelivered":
        if (frame.origin === this.#realm) void this.#inbound.undelivered(frame, this.#bridge);
        return;
      case "gjoin":
        void this.#onRemoteJoin(frame);
        return;
      case "gleave":
        this.#groups.leaveRemote(frame.group, frame.origin, frame.user);
        return;
      case "gsay":
        this.#groups.sayRemote(frame.group, frame.origin, frame.user, frame.text);
        return;
      case "groster": {
        this.#groups.setMirrorSnapshot(frame.origin, frame.group, frame.members, frame.history);
        const key = `${frame.group}@${frame.origin}`;
        for (const resolve of this.#rosterWaiters.get(key) ?? []) resolve();
        this.#rosterWaiters.delete(key);
        return;
      }
      case "gevent": {
        const fact: GroupEventFact = { kind: frame.kind, user: frame.user, realm: frame.realm, ...(frame.text === undefined ? {} : { text: frame.text }) };
        this.#groups.deliverFromHome(frame.origin, frame.group, fact);
        return;
      }
      default:
        this.#logger.warn("unexpected frame from the bridge", { t: frame.t });
    }
  }

  #onAck(frame: FrameOf<"ack">): void {
    const entry = this.#outbox.ack(frame.id);
    if (entry === undefined) {
      // The final answer about a message a bridge had queued.
      const queued = this.#queuedElsewhere.get(frame.id);
      if (queued !== undefined && frame.status === "stored") this.#presence.delivered(queued.from, frame.id, queued.to);
      return;
    }
    void this.#store.outbox.remove(frame.id);
    const dm = entry.item.frame;
    if (frame.status === "queued") this.#queuedElsewhere.remember(frame.id, { from: dm.from, to: `${dm.user}@${dm.to}` });
    const waiter = entry.item.waiter;
    if (waiter === undefined) {
      if (frame.status === "stored") this.#presence.delivered(dm.from, dm.id, `${dm.user}@${dm.to}`);
      return;
    }
    if (frame.status === "rejected") {
      const code = frame.code !== undefined && isErrorCode(frame.code) ? frame.code : "USER_NOT_FOUND";
      waiter.reject(new RemoteRejectedError(dm.to, code, frame.message ?? "rejected by the other realm"));
    } else {
      waiter.resolve({ queued: frame.status === "queued" });
    }
  }

  async #onRemoteJoin(frame: FrameOf<"gjoin">): Promise<void> {
    if ((await this.#store.groups.get(frame.group)) === undefined) {
      this.#logger.warn("remote join of an unknown group", { group: frame.group, from: frame.origin });
      return;
    }
    this.#groups.joinRemote(frame.group, frame.origin, frame.user);
    this.#bridge?.send({
      t: "groster",
      id: uuidv4(),
      origin: this.#realm,
      to: frame.origin,
      group: frame.group,
      members: this.#groups.rosterOf(frame.group),
      history: this.#groups.history(frame.group).map((h) => ({ ...h.event, ts: h.ts })),
    });
  }

  #peerUp(realm: string): void {
    if (this.#peersUp.has(realm)) return;
    this.#peersUp.add(realm);
    this.#logger.info("peer realm reachable", { realm });
    // Members of groups homed there rejoin by themselves.
    for (const [group, member] of this.#groups.mirrorMembers(realm)) {
      member.deliverGroupNotice(group, `${realm} is reachable again`);
      this.#bridge?.send({ t: "gjoin", id: uuidv4(), origin: this.#realm, to: realm, group, user: member.username });
    }
  }

  #peerDown(realm: string): void {
    if (!this.#peersUp.delete(realm)) return;
    this.#logger.warn("peer realm unreachable", { realm });
    this.#groups.dropRealm(realm);
    for (const [group, member] of this.#groups.mirrorMembers(realm)) {
      member.deliverGroupNotice(group, `${realm} is unreachable: ${group} is paused until it is back`);
    }
  }
}
