import { hashPassword, startRealmServer, type RunningRealmServer } from "@realmchat/realm-server";

/** A realm with messi and henderson (password surabaya) on 127.0.0.1, port 0. */
export async function startCliTestRealm(
  options: { readonly port?: number; readonly dataDir?: string; readonly tls?: { readonly cert: string; readonly key: string } } = {},
): Promise<RunningRealmServer> {
  const passwordHash = await hashPassword("surabaya");
  return startRealmServer({
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
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
}
