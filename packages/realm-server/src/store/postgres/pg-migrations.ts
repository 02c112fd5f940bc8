import type { Pool, PoolClient } from "pg";
import { SchemaTooNewError } from "@realmchat/node-runtime";

/** Any number that several instances starting together agree on: they take turns migrating. */
const MIGRATION_LOCK = 7_711_200_311;

/** What a start did to the schema: `backup` names the copy of the tables as they were, when it upgraded. */
export interface PgMigration {
  readonly from: number;
  readonly to: number;
  readonly backup?: string;
}

/**
 * Brings a PostgreSQL database up to the newest schema, one step per transaction, recording the
 * version in `schema_version`; an older database is upgraded, a newer one refused (as for SQLite).
 * Before the first step on a database that holds a realm, every table is copied as it is into a
 * schema of its own, named with the version (`realm_backup_v3_20261205t231800`), in the same
 * transaction as that step: the copy beside the data that SQLite's `realm.db.v3.bak` is. The
 * operator drops it once the upgrade is trusted (docs/operating.md).
 */
export async function applyPgMigrations(
  pool: Pool,
  migrations: readonly string[],
  now: () => Date = () => new Date(),
): Promise<PgMigration> {
  const client = await pool.connect();
  let from: number | undefined;
  let backup: string | undefined;
  try {
    await client.query("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    for (;;) {
      await client.query("BEGIN");
      try {
        await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
        const row = (await client.query("SELECT version FROM schema_version")).rows[0] as { version: number } | undefined;
        const current = row?.version ?? 0;
        from ??= current;
        if (current > migrations.length) throw new SchemaTooNewError(current, migrations.length);
        if (current === migrations.length) {
          await client.query("COMMIT");
          return { from, to: current, ...(backup === undefined ? {} : { backup }) };
        }
        const copy = from > 0 && backup === undefined ? await copyTables(client, current, now()) : undefined;
        await client.query(migrations[current] as string);
        if (row === undefined) await client.query("INSERT INTO schema_version (version) VALUES (1)");
        else await client.query("UPDATE schema_version SET version = $1", [current + 1]);
        await client.query("COMMIT");
        backup ??= copy;
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      }
    }
  } finally {
    client.release();
  }
}

const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Copies every table of the current schema, rows as they are, into a new schema; its name. */
async function copyTables(client: PoolClient, version: number, at: Date): Promise<string> {
  const stamp = at.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").toLowerCase();
  const schema = `realm_backup_v${version}_${stamp}`;
  const { rows } = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename");
  await client.query(`CREATE SCHEMA ${quoted(schema)}`);
  for (const { tablename } of rows as { tablename: string }[])
    await client.query(`CREATE TABLE ${quoted(schema)}.${quoted(tablename)} AS TABLE ${quoted(tablename)}`);
  return schema;
}
