import type { FederationFrame, GroupRef } from "@realmchat/protocol";

/**
 * Machinery plugged into a realm's federation from outside (Federation.extend), as the cluster
 * add-on does to tell the realm's other instances; one process has none.
 */
export interface FederationExtension {
  /** A frame the bridge sent this process, validated and addressed to this realm, before it is handled here. */
  frameFromBridge(frame: FederationFrame): void;
  /** This process moved this realm's members of `from` to `to` (one group per name). */
  groupMoved(from: GroupRef, to: GroupRef): void;
}
