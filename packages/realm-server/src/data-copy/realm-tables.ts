/**
 * One table of a realm's data as it is copied between SQLite and PostgreSQL: its columns in
 * SQLite and, where the name differs, in PostgreSQL; its order in each; the PostgreSQL sequence of
 * a BIGSERIAL column it fills, which must then go on after the largest.
 */
export interface RealmTable {
  readonly table: string;
  readonly columns: readonly (string | readonly [sqlite: string, postgres: string])[];
  readonly order: string;
  /** Where PostgreSQL orders by other columns than SQLite. */
  readonly pgOrder?: string;
  readonly sequence?: string;
}

/** Every table of a realm's data; PostgreSQL's cluster tables (instances, their log) are not the realm's data. */
export const REALM_TABLES: readonly RealmTable[] = [
  { table: "users", columns: ["username", "display_name", "password_hash"], order: "username" },
  { table: "seeded_users", columns: ["username"], order: "username" },
  { table: "sessions", columns: ["token_hash", "username", "last_seen"], order: "token_hash" },
  {
    table: "inbox",
    columns: ["seq", "recipient", "id", "sender", "sender_name", "recipient_name", "body", "sent_at"],
    order: "seq",
    sequence: "seq",
  },
  { table: "groups", columns: ["name", "created_by", "created_at", "merged_into", "merge_pending"], order: "name" },
  // Members keep the order they joined in (PostgreSQL numbers them; SQLite keeps the time, then the row).
  { table: "group_members", columns: ["group_name", ["username", "member"]], order: "joined_at, rowid", pgOrder: "seq" },
  {
    table: "group_history",
    columns: ["seq", "group_name", "kind", ["user", "username"], "realm", "body", "ts", "eid"],
    order: "seq",
    sequence: "seq",
  },
  { table: "relayed", columns: ["origin", "id", "outcome", "received_at"], order: "origin, id" },
  { table: "outbox", columns: ["seq", "id", "entry"], order: "seq", sequence: "seq" },
  { table: "awaited_delivery", columns: ["id", "sender", "recipient", "at"], order: "id" },
  { table: "read_markers", columns: ["username", "conversation", "ts"], order: "username, conversation" },
];

export class MoveStoreError extends Error {
  override readonly name = "MoveStoreError";
  readonly code = "MOVE_STORE";
}

export const sqliteName = (c: RealmTable["columns"][number]): string => (typeof c === "string" ? c : c[0]);
export const postgresName = (c: RealmTable["columns"][number]): string => (typeof c === "string" ? c : c[1]);

/** SQLite keeps booleans as 0/1; PostgreSQL's merge_pending is a boolean. */
export function toPostgres(table: string, column: string, value: unknown): unknown {
  return table === "groups" && column === "merge_pending" ? value === 1 || value === 1n : value;
}
