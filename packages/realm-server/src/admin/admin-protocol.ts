/**
 * The realm's local admin socket (`<data dir>/admin.sock`, README "Operating a realm"): one JSON
 * request per line, one JSON reply per line. Only the realm's own operator can reach it (the
 * socket file is mode 0600); passwords travel as hashes, made by the command that asks for them.
 */
export type AdminRequest =
  | { readonly op: "status" }
  | { readonly op: "user-list" }
  | { readonly op: "group-list" }
  | { readonly op: "user-add"; readonly user: string; readonly name: string; readonly passwordHash: string }
  | { readonly op: "user-del"; readonly user: string }
  | { readonly op: "user-passwd"; readonly user: string; readonly passwordHash: string };

export interface RealmStatus {
  readonly realm: string;
  readonly uptimeSeconds: number;
  readonly connections: number;
  readonly online: readonly string[];
  readonly users: number;
  readonly groups: ReadonlyArray<{ readonly name: string; readonly online: number }>;
  readonly bridgeLinked: boolean;
  readonly peersUp: readonly string[];
  /** Private messages for other realms waiting for the bridge to take them. */
  readonly outbox: number;
}

/** A group homed here, as `realm-server groups` lists it. */
export interface AdminGroup {
  readonly name: string;
  readonly createdBy: string;
  /** ms since the epoch. */
  readonly createdAt: number;
  /** Its members on every realm (`user`, or `user@realm` for another realm's). */
  readonly members: readonly string[];
  /** Members in it now, on this realm's connections (absent when the realm is not running). */
  readonly online?: number;
}

export interface AdminUser {
  readonly user: string;
  readonly name: string;
}

export type AdminReply =
  | {
      readonly ok: true;
      readonly status?: RealmStatus;
      readonly users?: readonly AdminUser[];
      readonly groups?: readonly AdminGroup[];
      readonly message?: string;
    }
  | { readonly ok: false; readonly message: string };

export const ADMIN_SOCKET_FILE = "admin.sock";

/** Checks one line from the socket; an unusable one is refused with the reason. */
export function decodeAdminRequest(line: string): AdminRequest | string {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return "not JSON";
  }
  if (typeof raw !== "object" || raw === null) return "not an object";
  const r = raw as Record<string, unknown>;
  const str = (k: string): boolean => typeof r[k] === "string" && (r[k] as string).length > 0;
  switch (r.op) {
    case "status":
    case "user-list":
    case "group-list":
      return { op: r.op };
    case "user-add":
      return str("user") && str("passwordHash")
        ? {
            op: "user-add",
            user: r.user as string,
            name: str("name") ? (r.name as string) : (r.user as string),
            passwordHash: r.passwordHash as string,
          }
        : "user-add needs user and passwordHash";
    case "user-del":
      return str("user") ? { op: "user-del", user: r.user as string } : "user-del needs user";
    case "user-passwd":
      return str("user") && str("passwordHash")
        ? { op: "user-passwd", user: r.user as string, passwordHash: r.passwordHash as string }
        : "user-passwd needs user and passwordHash";
    default:
      return `unknown op ${JSON.stringify(r.op)}`;
  }
}
