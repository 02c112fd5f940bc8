import { Server as TlsServer } from "node:tls";
import { loadTlsIdentity, type TcpListener, type TlsFiles } from "@realmchat/node-runtime";
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
 * Reads the certificate and key of `files` again and gives them to those of `listeners` that speak
 * TLS (the config's `tls` to the client port and the web listener, `federation.tls` to the
 * federation port), so a renewed certificate is served without a restart; connections already
 * open keep the one they began with. False when there is nothing to renew.
 */
export async function renewCertificate(files: TlsFiles | undefined, listeners: readonly (TcpListener | undefined)[]): Promise<boolean> {
  const servers = listeners.map((l) => l?.server).filter((s): s is TlsServer => s instanceof TlsServer);
  if (files === undefined || servers.length === 0) return false;
  const identity = await loadTlsIdentity(files);
  for (const server of servers) server.setSecureContext(identity);
  return true;
}
