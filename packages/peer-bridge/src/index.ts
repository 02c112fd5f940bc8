export { PeerBridge, type PeerBridgeOptions } from "./peer-bridge.ts";
export { startPeerBridge, BRIDGE_DEFAULTS, type PeerBridgeRunOptions, type RunningPeerBridge } from "./start-peer-bridge.ts";
export { loadBridgeConfig, parseBridgeConfig, dialsPeer, type BridgeConfig, type PeerConfig, type Endpoint } from "./bridge-config.ts";
export { FederationLink, type LinkHandler, type LinkRole, type LinkTiming, type FederationLinkOptions } from "./federation-link.ts";
export { Backoff, type BackoffOptions } from "./backoff.ts";
export { Redialer } from "./redialer.ts";
export { BridgeConfigError } from "./errors.ts";
export { createStderrLogger } from "./stderr-logger.ts";
