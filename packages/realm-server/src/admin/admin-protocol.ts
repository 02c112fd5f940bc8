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
  | { readonly op: "user-passwd"; readonly user: string; readonly passwordHash: string }
  | { readonly op: "session-list" }
  | { readonly op: "session-end"; readonly user: string }
  | { readonly op: "group-remove"; readonly group: string; readonly member: string }
  | { readonly op: "notice"; readonly text: string }
  | { readonly op: "user-export" }
  | { readonly op: "user-import"; readonly users: readonly ExportedUser[] };

/** A user as `realm-server user export` writes it and `user import` reads it: the password only as its hash. */
export interface ExportedUser {
  readonly username: string;
  readonly displayName: string;
  readonly passwordHash: string;
}

/** Longest operator notice, in characters: it is one line on every client's screen. */
export const MAX_NOTICE_CHARS = 500;

/** An open client connection, as `realm-server sessions` lists it. */
export interface AdminSession {
  /** Absent until the connection says who it is. */
  readonly user?: string;
  readonly peer: string;
  readonly protocol: "classic" | "live" | "websocket" | "undecided";
  /** When it connected, ms since the epoch. */
  readonly since: number;
}

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
      readonly sessions?: readonly AdminSession[];
      readonly exported?: readonly ExportedUser[];
      readonly message?: string;
    }
  | { readonly ok: false; readonly message: string };

export const ADMIN_SOCKET_FILE = "admin.sock";

export function isExportedUser(value: unknown): value is ExportedUser {
  if (typeof value !== "object" || value === null) return false;
  const u = value as Record<string, unknown>;
  return typeof u.username === "string" && typeof u.displayName === "string" && typeof u.passwordHash === "string";
}

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
    case "session-list":
      return { op: r.op };
    case "session-end":
      return str("user") ? { op: "session-end", user: r.user as string } : "session-end needs user";
    case "group-remove":
      return str("group") && str("member")
        ? { op: "group-remove", group: r.group as string, member: r.member as string }
        : "group-remove needs group and member";
    case "notice":
      return str("text") ? { op: "notice", text: r.text as string } : "notice needs text";
    case "user-export":
      return { op: "user-export" };
    case "user-import":
      return Array.isArray(r.users) && r.users.every(isExportedUser)
        ? { op: "user-import", users: r.users as ExportedUser[] }
        : "user-import needs users: [{username, displayName, passwordHash}]";
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
