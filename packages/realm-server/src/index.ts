export { Realm, type RealmOptions } from "./realm.ts";
export { DEFAULT_LIMITS, type RealmLimits } from "./limits.ts";
export { listenClients } from "./client-listener.ts";
export { startRealmServer, type RealmServerOptions, type RunningRealmServer } from "./start-realm-server.ts";
export { loadRealmConfig, parseRealmConfig, saveRealmConfig, REALM_CONFIG_KEYS, type RealmConfig } from "./realm-config.ts";
export { addUserToConfig, createRealmConfig, type NewUser } from "./user-admin.ts";
export { hashPassword, verifyPassword } from "./password-hash.ts";
export { SqliteRealmStore, REALM_DB_FILE, type SqliteStoreOptions } from "./store/sqlite/sqlite-realm-store.ts";
export { REALM_MIGRATIONS } from "./store/sqlite/realm-schema.ts";
export { DEFAULT_SESSION_IDLE_MS } from "./store/realm-store.ts";
export type {
  RelayLedger,
  RelayOutcome,
  RelayedMessage,
  OutboxStore,
  OutboxEntry,
  RealmStore,
  UserStore,
  UserRecord,
  InboxStore,
  StoredMessage,
  SessionStore,
  Session,
  GroupStore,
  GroupRecord,
} from "./store/realm-store.ts";
export type { GroupBus, LocalGroupMember, GroupEventRelay, GroupHistoryEntry } from "./groups/group-bus.ts";
export { type GroupEventFact, RenderedGroupEvent } from "./groups/group-event.ts";
export { LocalGroupBus } from "./groups/local-group-bus.ts";
export type { Presence, LivePushTarget } from "./presence/presence.ts";
export { LocalPresence } from "./presence/local-presence.ts";
export { BridgeLinkPort, type FederationPort, type BridgeLink } from "./federation/federation-port.ts";
export { Federation, type FederationOptions } from "./federation/federation.ts";
export { RemoteDirectory, type Resolution } from "./federation/remote-directory.ts";
export { listenFederation, type FederationListenOptions } from "./federation/federation-listener.ts";
export type { RealmServices } from "./services/realm-services.ts";
export { RequestError } from "./request-error.ts";
export { RealmConfigError, InvalidPasswordHashError, InvalidUserError } from "./errors.ts";
export { backupRealmDatabase } from "./data-copy/sqlite-backup.ts";
export { backupPostgresRealm } from "./data-copy/pg-backup.ts";
