export { Realm, DEFAULT_LIMITS, type RealmLimits, type RealmOptions } from "./realm.ts";
export { ClientConnection } from "./client-connection.ts";
export { listenTcp, type TcpListener } from "./tcp-listener.ts";
export { startRealmServer, type RealmServerOptions, type RunningRealmServer } from "./start-realm-server.ts";
export { loadRealmConfig, parseRealmConfig, saveRealmConfig, type RealmConfig } from "./realm-config.ts";
export { addUserToConfig, createRealmConfig, type NewUser } from "./user-admin.ts";
export { hashPassword, verifyPassword } from "./password-hash.ts";
export { MemoryRealmStore, DEFAULT_SESSION_IDLE_MS, type MemoryStoreOptions } from "./store/memory-store.ts";
export { SqliteRealmStore, REALM_DB_FILE, type SqliteStoreOptions } from "./store/sqlite/sqlite-realm-store.ts";
export { REALM_MIGRATIONS } from "./store/sqlite/realm-schema.ts";
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
export { GroupHub, type LocalGroupMember, type GroupEventFact, type GroupEventRelay } from "./group-hub.ts";
export { Federation, type BridgeLink, type OutgoingPrivateMessage } from "./federation/federation.ts";
export { RemoteDirectory, type Resolution } from "./federation/remote-directory.ts";
export { RemoteRejectedError } from "./federation/federation-errors.ts";
export { listenFederation, type FederationListenOptions } from "./federation/federation-listener.ts";
export { createStderrLogger, silentLogger, type Logger, type LogFields } from "./logger.ts";
export { RealmConfigError, InvalidPasswordHashError, InvalidUserError } from "./errors.ts";
export { backupRealmDatabase } from "./backup.ts";
