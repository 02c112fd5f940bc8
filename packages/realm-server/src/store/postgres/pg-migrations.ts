import type { Pool } from "pg";
import { SchemaTooNewError } from "@realmchat/node-runtime";

/** Any number that several instances starting together agree on: they take turns migrating. */
const MIGRATION_LOCK = 7_711_200_311;

/**
 * Brings a PostgreSQL database up to the newest schema, one step per transaction, recording the
 * version in `schema_version`; an older database is upgraded, a newer one refused (as for SQLite).
 */
export async function applyPgMigrations(pool: Pool, migrations: readonly string[]): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    for (;;) {
      await client.query("BEGIN");
      try {
        await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
        const row = (await client.query("SELECT version FROM schema_version")).rows[0] as { version: number } | undefined;
        const current = row?.version ?? 0;
        if (current > migrations.length) throw new SchemaTooNewError(current, migrations.length);
        if (current === migrations.length) {
          await client.query("COMMIT");
          return current;
        }
        await client.query(migrations[current] as string);
        if (row === undefined) await client.query("INSERT INTO schema_version (version) VALUES (1)");
        else await client.query("UPDATE schema_version SET version = $1", [current + 1]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      }
    }
  } finally {
    client.release();
  }
}
