/** The part of `node:sqlite`'s DatabaseSync the storage helpers use (kept structural, no import). */
export interface SqlStatement {
  run(...params: SqlValue[]): unknown;
  get(...params: SqlValue[]): Record<string, SqlValue> | undefined;
  all(...params: SqlValue[]): Record<string, SqlValue>[];
}

export type SqlValue = string | number | bigint | null | Uint8Array;

export interface SqlDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
}
