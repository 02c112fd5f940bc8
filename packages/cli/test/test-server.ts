import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashPassword, startRealmServer, type RunningRealmServer } from "@realmchat/realm-server";

/** A realm with messi and henderson (password surabaya) on 127.0.0.1, port 0; its data in `dataDir`, else a folder removed on close. */
export async function startCliTestRealm(
  options: { readonly port?: number; readonly dataDir?: string; readonly tls?: { readonly cert: string; readonly key: string } } = {},
): Promise<RunningRealmServer> {
  const passwordHash = await hashPassword("surabaya");
  const ownDir = options.dataDir === undefined ? await mkdtemp(join(tmpdir(), "cli-realm-")) : undefined;
  const server = await startRealmServer({
    config: {
      realm: "realm1",
      host: undefined,
      port: undefined,
      users: [
        { username: "messi", displayName: "Lionel Messi", passwordHash },
        { username: "henderson", displayName: "Jordan Henderson", passwordHash },
      ],
      ...(options.tls === undefined ? {} : { tls: options.tls }),
    },
    host: "127.0.0.1",
    port: options.port ?? 0,
    dataDir: options.dataDir ?? (ownDir as string),
  });
  if (ownDir === undefined) return server;
  const close = async (): Promise<void> => {
    await server.close();
    await rm(ownDir, { recursive: true, force: true });
  };
  return { ...server, close, [Symbol.asyncDispose]: close };
}
