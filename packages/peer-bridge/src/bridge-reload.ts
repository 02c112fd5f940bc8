import type { SecureContextOptions } from "node:tls";
import { loadTlsIdentity } from "@realmchat/node-runtime";
import type { BridgeConfig, Endpoint, PeerConfig } from "./bridge-config.ts";

/** What a reload did, and what it found changed that only a restart applies (both for the log). */
export interface BridgeReload {
  readonly applied: readonly string[];
  readonly needsRestart: readonly string[];
  /** The config as it now runs: the old one with what was applied. */
  readonly running: BridgeConfig;
}

/** What a reload acts on. */
export interface ReloadTargets {
  /** Takes on a new peer; false if it is known. */
  addPeer(peer: PeerConfig): boolean;
  /** The listener's certificate, when peers link in over TLS. */
  setSecureContext?(options: SecureContextOptions): void;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const at = (e: Endpoint | undefined): string => (e === undefined ? "no address" : `${e.host}:${e.port}`);

/**
 * Applies what of `next` a running bridge can take on without a restart (SIGHUP,
 * docs/design/federation.md): new peers, and the certificate and key read again from their
 * files (a renewal). Everything else that changed is listed as needing a restart, and runs on
 * as before: its realm, where it listens, its realm server, a peer removed or changed, TLS
 * switched on or off.
 */
export async function reloadBridge(current: BridgeConfig, next: BridgeConfig, targets: ReloadTargets): Promise<BridgeReload> {
  const applied: string[] = [];
  const needsRestart: string[] = [];
  if (next.realm !== current.realm) needsRestart.push(`realm ${current.realm} → ${next.realm}`);
  if (!same(next.listen, current.listen)) needsRestart.push(`listen ${at(current.listen)} → ${at(next.listen)}`);
  if (!same(next.realmServer, current.realmServer)) needsRestart.push("realmServer");
  if (!same(next.metrics, current.metrics)) needsRestart.push("metrics");
  let tls = current.tls;
  if (next.tls !== undefined && current.tls !== undefined && targets.setSecureContext !== undefined) {
    targets.setSecureContext(await loadTlsIdentity(next.tls));
    tls = next.tls;
    applied.push(`certificate read again from ${next.tls.cert}`);
  } else if ((next.tls === undefined) !== (current.tls === undefined)) needsRestart.push(next.tls === undefined ? "tls off" : "tls on");
  const peers = [...current.peers];
  for (const peer of next.peers) {
    const known = current.peers.find((p) => p.realm === peer.realm);
    if (known === undefined) {
      if (next.realm === current.realm && targets.addPeer(peer)) {
        peers.push(peer);
        applied.push(`peer ${peer.realm} added`);
      }
    } else if (!same(known, peer)) needsRestart.push(`peer ${peer.realm} changed`);
  }
  for (const peer of current.peers) if (!next.peers.some((p) => p.realm === peer.realm)) needsRestart.push(`peer ${peer.realm} removed`);
  return { applied, needsRestart, running: { ...current, peers, ...(tls === undefined ? {} : { tls }) } };
}
