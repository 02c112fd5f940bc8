/** One link of a bridge as `peer-bridge status` shows it. */
export interface LinkStatus {
  readonly linked: boolean;
  /** When it last came up or went down (ms since the epoch). */
  readonly since: number;
  /** Dials failed since it was last up (0 for a peer that dials this bridge). */
  readonly failedDials: number;
  readonly lastError?: string | undefined;
}

/** What a running bridge says of itself on its admin socket (`<data dir>/admin.sock`). */
export interface BridgeStatus {
  readonly realm: string;
  readonly uptimeSeconds: number;
  readonly realmServer: LinkStatus;
  /** Each peer, with the private messages waiting for it. */
  readonly peers: ReadonlyArray<LinkStatus & { readonly realm: string; readonly queued: number }>;
}

export type BridgeAdminReply = { readonly ok: true; readonly status: BridgeStatus } | { readonly ok: false; readonly message: string };

export const BRIDGE_ADMIN_SOCKET_FILE = "admin.sock";

/** The one request a bridge's admin socket takes: `{"op":"status"}`. */
export function answerBridgeAdmin(line: string, status: () => BridgeStatus): BridgeAdminReply {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch {
    return { ok: false, message: "not JSON" };
  }
  const op = (request as { op?: unknown } | null)?.op;
  return op === "status"
    ? { ok: true, status: status() }
    : { ok: false, message: `unknown op ${JSON.stringify(op)}; this bridge answers 'status'` };
}

/** The status as lines for a person. */
export function describeBridgeStatus(s: BridgeStatus): string {
  const time = (ms: number): string => new Date(ms).toISOString().slice(11, 19);
  const link = (l: LinkStatus): string =>
    l.linked
      ? `linked since ${time(l.since)}`
      : `down since ${time(l.since)}` +
        (l.failedDials === 0 ? "" : `, ${l.failedDials} failed dial${l.failedDials === 1 ? "" : "s"} (last: ${l.lastError ?? "?"})`);
  const lines = [`bridge of realm ${s.realm}, up ${s.uptimeSeconds} s`, `realm server: ${link(s.realmServer)}`];
  for (const p of s.peers) lines.push(`peer ${p.realm}: ${link(p)}; ${p.queued} message${p.queued === 1 ? "" : "s"} queued`);
  return lines.join("\n") + "\n";
}
