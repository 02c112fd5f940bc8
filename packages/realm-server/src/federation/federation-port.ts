import type { FederationFrame, GroupRef } from "@realmchat/protocol";

/** The realm's end of an authenticated link to its bridge. */
export interface BridgeLink {
  send(frame: FederationFrame): void;
  close(): void;
}

/**
 * The realm's way out to other realms: the link to its bridge, and which peer realms the bridge
 * can reach now. With several instances of one realm, whichever instance holds the link serves
 * the others through this port; in one process it holds the link itself.
 */
export interface FederationPort {
  /** Whether other instances of this realm share the link through this port (ClusterPort). */
  readonly shared: boolean;
  /** A frame from the bridge that the realm's other instances must see too (no-op in one process). */
  share(frame: FederationFrame): void;
  /** Whether the bridge link is held here (in one process: whether there is one). */
  readonly holdsLink: boolean;
  /** Tells the realm's other instances that its members of `from` now belong to `to` (no-op in one process). */
  shareMove(from: GroupRef, to: GroupRef): void;
  /** Tells the instance holding the link that the shared outbox has something new (no-op in one process). */
  nudgeOutbox(): void;
  /** Hands a frame to the bridge; false (and nothing sent) when no bridge is linked. */
  send(frame: FederationFrame): boolean;
  readonly linked: boolean;
  isPeerUp(realm: string): boolean;
  /** The peer realms reachable now. */
  peersUp(): readonly string[];
  /** Records a peer's state; true if that changed it. */
  setPeerUp(realm: string, up: boolean): boolean;
  /** Makes `link` the bridge link; returns the one it replaces, if any. */
  attach(link: BridgeLink): BridgeLink | undefined;
  /** Forgets `link` if it is the current one; true if it was. */
  detach(link: BridgeLink): boolean;
}

/** Which peer realms the bridge can reach now, as both kinds of port keep it. */
export class PeersUp {
  readonly #up = new Set<string>();

  has(realm: string): boolean {
    return this.#up.has(realm);
  }

  list(): string[] {
    return [...this.#up];
  }

  /** Records a peer's state; true if that changed it. */
  set(realm: string, up: boolean): boolean {
    if (up === this.#up.has(realm)) return false;
    if (up) this.#up.add(realm);
    else this.#up.delete(realm);
    return true;
  }
}

/** The federation port of a realm that runs as one process. */
export class BridgeLinkPort implements FederationPort {
  readonly shared = false;
  #link: BridgeLink | undefined;
  readonly #peers = new PeersUp();

  get linked(): boolean {
    return this.#link !== undefined;
  }

  send(frame: FederationFrame): boolean {
    if (this.#link === undefined) return false;
    this.#link.send(frame);
    return true;
  }

  share(): void {}

  nudgeOutbox(): void {}

  shareMove(): void {}

  get holdsLink(): boolean {
    return this.#link !== undefined;
  }

  isPeerUp(realm: string): boolean {
    return this.#peers.has(realm);
  }

  peersUp(): readonly string[] {
    return this.#peers.list();
  }

  setPeerUp(realm: string, up: boolean): boolean {
    return this.#peers.set(realm, up);
  }

  attach(link: BridgeLink): BridgeLink | undefined {
    const previous = this.#link === link ? undefined : this.#link;
    this.#link = link;
    return previous;
  }

  detach(link: BridgeLink): boolean {
    if (this.#link !== link) return false;
    this.#link = undefined;
    return true;
  }
}
