export { PeerBridge, type PeerBridgeOptions } from "./peer-bridge.ts";
export { startPeerBridge, BRIDGE_DEFAULTS, type PeerBridgeRunOptions, type RunningPeerBridge } from "./start-peer-bridge.ts";
export {
  loadBridgeConfig,
  parseBridgeConfig,
  dialsPeer,
  BRIDGE_CONFIG_KEYS,
  type BridgeConfig,
  type PeerConfig,
  type Endpoint,
} from "./bridge-config.ts";
export { Backoff, type BackoffOptions } from "./backoff.ts";
export { Redialer } from "./redialer.ts";
export { BridgeConfigError } from "./errors.ts";
export { BridgeStore, BRIDGE_DB_FILE, type StoredDm } from "./bridge-store.ts";
export { PeerOutbox } from "./peer-outbox.ts";
export { RealmDelivery } from "./realm-delivery.ts";
