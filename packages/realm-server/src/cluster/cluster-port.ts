import { describeError, type Logger } from "@realmchat/node-runtime";
import type { FederationFrame, FrameOf, GroupRef } from "@realmchat/protocol";
import type { ClusterLog } from "../store/cluster-log.ts";
import { PeersUp, type BridgeLink, type FederationPort, type LinkChange } from "../federation/federation-port.ts";

/**
 * The federation port of one instance among several of a realm (docs/design/scale-out.md): the
 * bridge links to any one of them, and that one holds the link for all. The others hand their
 * frames to it through the cluster log, and it shares with them what the bridge says that
 * concerns them (answers, group events, directories) and which peer realms are up.
 */
export class ClusterPort implements FederationPort {
  readonly #instance: string;
  readonly #log: ClusterLog;
  #link: BridgeLink | undefined;
  /** The instance holding the link, as last announced (this one when `#link` is set). */
  #holder: string | undefined;
  readonly #peers = new PeersUp();
  /** The last directory of each peer realm, for instances that start later. */
  readonly #directories = new Map<string, FrameOf<"directory">>();
  #nudged = false;

  readonly #frameNotWritten: (err: unknown) => void;

  constructor(instance: string, log: ClusterLog, logger: Logger) {
    this.#instance = instance;
    this.#log = log;
    this.#frameNotWritten = (err) =>
      logger.warn("a frame for the bridge link was not written to the cluster log; it is lost as on a broken link", {
        error: describeError(err),
      });
  }

  get holdsLink(): boolean {
    return this.#link !== undefined;
  }

  get linked(): boolean {
    return this.#holder !== undefined;
  }

  #publish(event: Parameters<ClusterLog["publish"]>[1]): void {
    // Not awaited: a frame that is not written is lost as one on a broken link would be.
    this.#log.publish(this.#instance, event).catch(this.#frameNotWritten);
  }

  send(frame: FederationFrame): boolean {
    if (this.#link !== undefined) {
      this.#link.send(frame);
      return true;
    }
    if (this.#holder === undefined) return false;
    this.#publish({ t: "out", frame });
    return true;
  }

  nudgeOutbox(): void {
    // Once per turn, however many messages the turn queued.
    if (this.#nudged) return;
    this.#nudged = true;
    setImmediate(() => {
      this.#nudged = false;
      this.#publish({ t: "outbox" });
    });
  }

  shareMove(from: GroupRef, to: GroupRef): void {
    this.#publish({ t: "move", from, to });
  }

  share(frame: FederationFrame): void {
    if (frame.t === "directory") this.#directories.set(frame.realm, frame);
    if (this.#link !== undefined) this.#publish({ t: "in", frame });
  }

  isPeerUp(realm: string): boolean {
    return this.#peers.has(realm);
  }

  peersUp(): readonly string[] {
    return this.#peers.list();
  }

  setPeerUp(realm: string, up: boolean): boolean {
    if (!this.#peers.set(realm, up)) return false;
    if (this.#link !== undefined) this.#announce();
    return true;
  }

  #announce(): void {
    this.#publish({ t: "link", holder: this.#holder, peers: this.#peers.list() });
  }

  attach(link: BridgeLink): BridgeLink | undefined {
    const previous = this.#link === link ? undefined : this.#link;
    this.#link = link;
    this.#holder = this.#instance;
    this.#announce();
    return previous;
  }

  detach(link: BridgeLink): boolean {
    if (this.#link !== link) return false;
    this.#link = undefined;
    this.#holder = undefined;
    this.#announce();
    return true;
  }

  /** A frame another instance wrote for the bridge. */
  onOut(frame: FederationFrame): void {
    this.#link?.send(frame);
  }

  /**
   * Another instance announced who holds the link. If that is no longer this one, a link still
   * held here is stale (the bridge has moved on) and is closed without announcing anything.
   */
  onLink(holder: string | undefined, peers: readonly string[]): LinkChange {
    const holderChanged = holder !== this.#holder;
    this.#holder = holder;
    if (holder !== this.#instance && this.#link !== undefined) {
      const stale = this.#link;
      this.#link = undefined;
      stale.close();
    }
    return { holderChanged, linked: holder !== undefined, peers: holder === undefined ? [] : peers };
  }

  /** An instance went away; if it held the link, nobody does until the bridge links again. */
  onGone(instance: string): LinkChange | undefined {
    if (this.#holder !== instance) return undefined;
    this.#holder = undefined;
    return { holderChanged: true, linked: false, peers: [] };
  }

  /** An instance started: if this one holds the link, it tells it the link state and directories. */
  onHello(): void {
    if (this.#link === undefined) return;
    this.#announce();
    for (const frame of this.#directories.values()) this.#publish({ t: "in", frame });
  }
}
