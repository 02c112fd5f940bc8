import { describeError, type LinkHandler, type Logger } from "@realmchat/node-runtime";
import { isRoutedFrame, type FederationFrame, type GroupRef } from "@realmchat/protocol";
import type { GroupBus, LeaveKind, LocalGroupMember } from "../groups/group-bus.ts";
import type { Presence } from "../presence/presence.ts";
import type { RealmStore } from "../store/realm-store.ts";
import type { HandOffHolder } from "./relayed-hand-off.ts";
import type { BridgeLink, FederationPort, LinkChange } from "./federation-port.ts";
import type { FederationExtension } from "./federation-extension.ts";
import { GroupMerger } from "./group-merger.ts";
import { HomeGroupRequests } from "./home-group-requests.ts";
import { InboundRelay } from "./inbound-relay.ts";
import type { RealmMeter } from "../metrics/realm-meter.ts";
import { OutboundPrivateRelay } from "./outbound-private-relay.ts";
import type { OutboundRelay, OutboundRelayFactory } from "./outbound-relay.ts";
import { RemoteDirectory } from "./remote-directory.ts";
import { RemoteGroups, type HomeAnswer } from "./remote-groups.ts";

const inProcessRelay: OutboundRelayFactory = (options) => new OutboundPrivateRelay(options);

export interface FederationOptions {
  readonly realm: string;
  readonly store: RealmStore;
  readonly port: FederationPort;
  readonly groups: GroupBus;
  readonly presence: Presence;
  /** Where a message from another realm for a user with a live connection here is held (PrivateHandOff). */
  readonly handOff: HandOffHolder;
  readonly logger: Logger;
  /** See OutboundPrivateRelayOptions.answerWithinMs. */
  readonly remoteAnswerMs?: number;
  /** Messages an inbox may hold; relayed messages to a full one are refused. */
  readonly maxInboxMessages?: number;
  /** Events of a group's history kept and shown on join. */
  readonly groupHistory: number;
  /** Counts the messages that come from other realms (metrics). */
  readonly meter: Pick<RealmMeter, "privateFromRealms" | "groupFromRealms">;
  /** Where private messages for other realms wait (default: OutboundPrivateRelay, this process's memory and outbox). */
  readonly outboundRelay?: OutboundRelayFactory;
}

/**
 * This realm's view of the federation: the link to its bridge, the other realms' directories,
 * private messages out (kept until the bridge takes them) and in (stored exactly once), and
 * groups across realms. It routes every frame the bridge sends to the part that handles it.
 */
export class Federation implements LinkHandler {
  readonly directory = new RemoteDirectory();
  readonly outbound: OutboundRelay;
  readonly remoteGroups: RemoteGroups;
  readonly merger: GroupMerger;
  readonly #options: FederationOptions;
  readonly #inbound: InboundRelay;
  readonly #homeGroups: HomeGroupRequests;
  readonly #extensions: FederationExtension[] = [];

  constructor(options: FederationOptions) {
    this.#options = options;
    const { realm, store, port, groups, presence, logger } = options;
    this.outbound = (options.outboundRelay ?? inProcessRelay)({
      realm,
      outbox: store.outbox,
      port,
      presence,
      logger,
      ...(options.remoteAnswerMs === undefined ? {} : { answerWithinMs: options.remoteAnswerMs }),
    });
    this.remoteGroups = new RemoteGroups({ realm, port, groups, logger });
    this.#homeGroups = new HomeGroupRequests({ realm, port, groups, groupStore: store.groups, logger });
    this.merger = new GroupMerger({
      realm,
      port,
      groups,
      groupStore: store.groups,
      directory: this.directory,
      remoteGroups: this.remoteGroups,
      logger,
      historySize: options.groupHistory,
      publishDirectory: () => this.publishDirectory(),
      moved: (from, to) => {
        for (const extension of this.#extensions) extension.groupMoved(from, to);
      },
    });
    this.#inbound = new InboundRelay({
      realm,
      ledger: store.relayed,
      logger,
      presence,
      handOff: options.handOff,
      sink: port,
      ...(options.maxInboxMessages === undefined ? {} : { limit: { inboxes: store.inboxes, maxInboxMessages: options.maxInboxMessages } }),
    });
  }

  /** Plugs in machinery that watches what the bridge says and what the merger decides (the cluster add-on). */
  extend(extension: FederationExtension): void {
    this.#extensions.push(extension);
  }

  onLinkReady(link: BridgeLink): void {
    const { port, logger } = this.#options;
    const previous = port.attach(link);
    if (previous !== undefined) {
      this.#linkLost();
      previous.close();
    }
    logger.info("bridge linked", { queued: this.outbound.size });
    this.announceDirectory();
    // With several instances this sends the whole shared outbox, other instances' messages too.
    this.outbound.flush();
  }

  /** The link's state as an extension reports it: someone else took the bridge link, or nobody holds it now. */
  followLink(change: LinkChange): void {
    const { port } = this.#options;
    if (!change.linked) {
      this.#linkLost();
      return;
    }
    // Frames handed to an instance that is gone may never have reached the bridge.
    if (change.holderChanged) this.outbound.linkLost();
    for (const realm of port.peersUp()) if (!change.peers.includes(realm)) this.#peerState(realm, false);
    for (const realm of change.peers) this.#peerState(realm, true);
    this.outbound.flush();
  }

  onLinkClosed(link: BridgeLink): void {
    if (!this.#options.port.detach(link)) return;
    this.#options.logger.warn("bridge link lost; private messages to other realms are queued here until it is back");
    this.#linkLost();
  }

  #linkLost(): void {
    for (const realm of this.#options.port.peersUp()) this.#peerState(realm, false);
    this.outbound.linkLost();
  }

  close(): void {
    this.outbound.close();
  }

  /** A group request from another realm could not be served (the store failed or is closing). */
  readonly #groupRequestFailed = (err: unknown): void => {
    this.#options.logger.error("a group request from another realm failed", { error: describeError(err) });
  };

  readonly #directoryFailed = (err: unknown): void => {
    this.#options.logger.error("the directory was not sent; it goes with the next change or link", { error: describeError(err) });
  };

  /** Sends the directory when it can, without waiting; a failure is logged. */
  announceDirectory(): void {
    this.publishDirectory().catch(this.#directoryFailed);
  }

  isPeerUp(realm: string): boolean {
    return this.#options.port.isPeerUp(realm);
  }

  /** Whether the bridge is linked now. */
  get linked(): boolean {
    return this.#options.port.linked;
  }

  /** The peer realms reachable now, sorted. */
  peersUp(): string[] {
    return [...this.#options.port.peersUp()].sort();
  }

  joinRemote(group: GroupRef, member: LocalGroupMember): Promise<GroupRef | undefined> {
    return this.remoteGroups.join(group, member);
  }

  leaveRemote(group: GroupRef, member: LocalGroupMember, how: LeaveKind = "left"): void {
    this.remoteGroups.leave(group, member, how);
  }

  sayRemote(group: GroupRef, member: LocalGroupMember, text: string): void {
    this.remoteGroups.say(group, member, text);
  }

  forgetRemote(group: GroupRef, user: string): void {
    this.remoteGroups.forget(group, user);
  }

  whoRemote(group: GroupRef, user: string): Promise<HomeAnswer> {
    return this.remoteGroups.who(group, user);
  }

  historyRemote(group: GroupRef, user: string, before: string, limit: number): Promise<HomeAnswer> {
    return this.remoteGroups.history(group, user, before, limit);
  }

  findRemote(group: GroupRef): Promise<HomeAnswer> {
    return this.remoteGroups.find(group);
  }

  /** Sends this realm's users and groups to the bridge, which passes them to every peer. */
  async publishDirectory(): Promise<void> {
    const { port, store, realm } = this.#options;
    if (!port.linked) return;
    const [users, groups] = await Promise.all([store.users.list(), store.groups.list()]);
    port.send({
      t: "directory",
      realm,
      users: users.map((u) => ({ user: u.username, name: u.displayName })),
      groups: groups.map((g) => ({ name: g.name, created: g.createdAt })),
    });
  }

  /** A frame from the bridge, already validated by the decoder. */
  onLinkFrame(_link: BridgeLink, frame: FederationFrame): void {
    const { realm, logger } = this.#options;
    const routed = isRoutedFrame(frame) || frame.t === "batch";
    if (routed && (frame.to !== realm || frame.origin === realm)) {
      logger.warn("dropped a misrouted frame", { t: frame.t, origin: frame.origin, to: frame.to });
      return;
    }
    for (const extension of this.#extensions) extension.frameFromBridge(frame);
    this.handle(frame);
  }

  /** A frame from the bridge, checked as onLinkFrame checks it (or by the process that received it). */
  handle(frame: FederationFrame): void {
    const { realm, logger } = this.#options;
    switch (frame.t) {
      case "directory":
        if (frame.realm === realm) return;
        this.directory.set(frame.realm, frame.users, frame.groups);
        this.merger.reconcile().catch(this.#groupRequestFailed);
        return;
      case "peer":
        this.#peerState(frame.realm, frame.up);
        return;
      case "ack":
        this.outbound.onAck(frame);
        return;
      case "acks":
        for (const r of frame.results) this.outbound.onAck({ t: "ack", origin: frame.origin, ...r });
        return;
      case "dm":
        this.#options.meter.privateFromRealms++;
        this.#inbound.dm(frame);
        return;
      case "batch":
        this.#options.meter.privateFromRealms += frame.items.length;
        this.#inbound.batch(frame);
        return;
      case "undelivered":
        if (frame.origin === realm) this.#inbound.undelivered(frame);
        return;
      case "gjoin":
        this.#homeGroups.onJoin(frame).catch(this.#groupRequestFailed);
        return;
      case "gleave":
        this.#homeGroups.onLeave(frame).catch(this.#groupRequestFailed);
        return;
      case "gsay":
        this.#options.meter.groupFromRealms++;
        this.#homeGroups.onSay(frame).catch(this.#groupRequestFailed);
        return;
      case "gwho":
        this.#homeGroups.onWho(frame).catch(this.#groupRequestFailed);
        return;
      case "gfind":
        this.#homeGroups.onFind(frame).catch(this.#groupRequestFailed);
        return;
      case "groster":
        this.remoteGroups.onRoster(frame);
        return;
      case "gwhere":
        // The merger moves our members first, so that a message handed back follows them.
        this.merger.onWhere(frame).catch(this.#groupRequestFailed);
        this.remoteGroups.onWhere(frame);
        return;
      case "gmerge":
        this.merger.onMerge(frame).catch(this.#groupRequestFailed);
        return;
      case "gmerged":
        this.merger.onMerged(frame).catch(this.#groupRequestFailed);
        return;
      case "gevent":
        this.remoteGroups.onEvent(frame);
        return;
      default:
        logger.warn("unexpected frame from the bridge", { t: frame.t });
    }
  }

  #peerState(peer: string, up: boolean): void {
    const { port, logger } = this.#options;
    if (!port.setPeerUp(peer, up)) return;
    if (up) {
      logger.info("peer realm reachable", { realm: peer });
      this.remoteGroups.peerUp(peer);
      this.merger.offerPending(peer).catch(this.#groupRequestFailed);
    } else {
      logger.warn("peer realm unreachable", { realm: peer });
      this.outbound.peerUnreachable(peer);
      this.remoteGroups.peerDown(peer);
    }
  }
}
