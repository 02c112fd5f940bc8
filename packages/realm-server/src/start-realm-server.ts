import type { Logger } from "./logger.ts";
import { Realm, type RealmLimits } from "./realm.ts";
import type { RealmConfig } from "./realm-config.ts";
import { MemoryRealmStore } from "./store/memory-store.ts";
import type { RealmStore } from "./store/realm-store.ts";
import { listenTcp, type TcpListener } from "./tcp-listener.ts";

export interface RealmServerOptions {
  readonly config: RealmConfig;
  readonly host: string;
  readonly port: number;
  /** Defaults to a fresh in-memory store seeded with the config's users. */
  readonly store?: RealmStore;
  readonly sessionIdleMs?: number;
  readonly limits?: Partial<RealmLimits>;
  readonly logger?: Logger;
}

export interface RunningRealmServer extends AsyncDisposable {
  readonly realm: Realm;
  readonly listener: TcpListener;
  close(): Promise<void>;
}

/** A realm with its users loaded, listening for clients on TCP. */
export async function startRealmServer(options: RealmServerOptions): Promise<RunningRealmServer> {
  const store =
    options.store ?? new MemoryRealmStore(options.sessionIdleMs === undefined ? {} : { sessionIdleMs: options.sessionIdleMs });
  for (const user of options.config.users) await store.users.put(user);
  const realm = new Realm({
    name: options.config.realm,
    store,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const listener = await listenTcp(realm, { host: options.host, port: options.port });
  const close = async (): Promise<void> => {
    await listener.close();
    await store.close();
  };
  return { realm, listener, close, [Symbol.asyncDispose]: close };
}
