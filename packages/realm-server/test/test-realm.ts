import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashPassword, startRealmServer, type RealmConfig, type RealmLimits, type RunningRealmServer } from "../src/index.ts";
import { WireClient } from "./wire-client.ts";

export const SEED_REALM_1 = [
  { username: "messi", displayName: "Lionel Messi", password: "surabaya" },
  { username: "henderson", displayName: "Jordan Henderson", password: "surabaya" },
  { username: "lineker", displayName: "Gary Lineker", password: "surabaya" },
] as const;

let cachedHashes: Promise<Map<string, string>> | undefined;

async function hashes(): Promise<Map<string, string>> {
  cachedHashes ??= (async () => new Map([["surabaya", await hashPassword("surabaya")]]))();
  return cachedHashes;
}

/** A realm with the seed's realm-1 users on 127.0.0.1, port 0, on SQLite in a temporary folder (removed on close). */
export async function startTestRealm(
  options: {
    readonly limits?: Partial<RealmLimits>;
    readonly sessionIdleMs?: number;
    readonly extraUsers?: readonly string[];
    /** Config keys beyond the realm and its users (metrics, federation). */
    readonly config?: Partial<Pick<RealmConfig, "metrics" | "federation">>;
  } = {},
): Promise<RunningRealmServer & { connect(): Promise<WireClient> }> {
  const hash = (await hashes()).get("surabaya") as string;
  const users = [
    ...SEED_REALM_1.map((u) => ({ username: u.username, displayName: u.displayName, passwordHash: hash })),
    ...(options.extraUsers ?? []).map((username) => ({ username, displayName: username, passwordHash: hash })),
  ];
  const dataDir = await mkdtemp(join(tmpdir(), "realm-test-"));
  const server = await startRealmServer({
    config: { realm: "realm1", host: undefined, port: undefined, users, ...options.config },
    dataDir,
    host: "127.0.0.1",
    port: 0,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.sessionIdleMs === undefined ? {} : { sessionIdleMs: options.sessionIdleMs }),
  });
  const clients: WireClient[] = [];
  const close = async (): Promise<void> => {
    for (const c of clients) c.close();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  return {
    ...server,
    async connect() {
      const client = await WireClient.connect(server.listener.port);
      clients.push(client);
      return client;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
