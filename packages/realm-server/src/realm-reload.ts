import { Server as TlsServer } from "node:tls";
import { loadTlsIdentity, type TcpListener } from "@realmchat/node-runtime";
import type { RealmConfig } from "./realm-config.ts";

/** Keys of a realm config that a running server keeps as it started with: a change needs a restart. */
const RESTART_KEYS = ["host", "port", "federation", "store", "web", "dataDir", "metrics"] as const;

/** What of a re-read config a running realm cannot take on, for its log line: empty when nothing. */
export function changesNeedingRestart(started: RealmConfig, next: RealmConfig): string[] {
  const changed: string[] = RESTART_KEYS.filter((key) => JSON.stringify(started[key]) !== JSON.stringify(next[key]));
  if ((started.tls === undefined) !== (next.tls === undefined)) changed.push(next.tls === undefined ? "tls off" : "tls on");
  return changed;
}

/**
 * Reads the certificate and key of `next.tls` again and gives them to every listener that speaks
 * TLS (the client port, the web listener), so a renewed certificate is served without a restart;
 * connections already open keep the one they began with. False when there is nothing to renew.
 */
export async function renewCertificate(next: RealmConfig, listeners: readonly (TcpListener | undefined)[]): Promise<boolean> {
  const servers = listeners.map((l) => l?.server).filter((s): s is TlsServer => s instanceof TlsServer);
  if (next.tls === undefined || servers.length === 0) return false;
  const identity = await loadTlsIdentity(next.tls);
  for (const server of servers) server.setSecureContext(identity);
  return true;
}
