import type { FederationFrame } from "@realmchat/protocol";

/** The realm's end of an authenticated link to its bridge. */
export interface BridgeLink {
  send(frame: FederationFrame): void;
  close(): void;
}

/**
 * The realm's way out to other realms: the link to its bridge, and which peer realms the bridge
 * can reach now. In one process the realm holds the link itself (BridgeLinkPort); an add-on may
 * put another port here (several instances share one link through the cluster's port).
 */
export interface FederationPort {
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

/** The link's state as someone other than the link itself reports it (Federation.followLink). */
export interface LinkChange {
  /** Another holder (or none) has the link now than before: frames handed to the old one may be lost. */
  readonly holderChanged: boolean;
  readonly linked: boolean;
  readonly peers: readonly string[];
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
