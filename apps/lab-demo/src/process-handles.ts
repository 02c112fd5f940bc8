import type { Endpoint } from "@realmchat/peer-bridge";
import type { NodeProcess } from "./node-process.ts";

export interface StartRealmOptions {
  readonly name: string;
  readonly config: string;
  /** Client port; 0 picks a free one; absent means the config file's port. */
  readonly port?: number;
  /** Federation port for the realm's bridge; same rules. */
  readonly federationPort?: number;
  /** Port of the web listener (when the config has `web`); same rules. */
  readonly webPort?: number;
  /** Folder of the realm's SQLite file (and admin socket). */
  readonly dataDir: string;
  /** `postgres://…`: the realm's data in PostgreSQL instead (several instances share it). */
  readonly storeUrl?: string;
  readonly extraArgs?: readonly string[];
  /** Publish every frame at a tap (docs/design/tap.md); 0 picks a free port. */
  readonly tapPort?: number;
  /** Serve /metrics, /healthz and /readyz on this port; 0 picks a free one; absent means the config's (if any). */
  readonly metricsPort?: number;
  readonly onStderr?: (text: string) => void;
}

export interface RealmHandle extends Endpoint {
  readonly name: string;
  readonly federationPort: number | undefined;
  /** The browser client's address, when the realm's config has `web`. */
  readonly webUrl: string | undefined;
  /** Where its tap is read, when it was started with one. */
  readonly tapUrl: string | undefined;
  /** Its metrics listener's address (`http://host:port`), when it has one. */
  readonly metricsUrl: string | undefined;
  readonly process: NodeProcess;
  readonly options: StartRealmOptions;
}

export interface StartBridgeOptions {
  /** The bridge's realm. */
  readonly name: string;
  readonly config: string;
  /** Folder of the bridge's SQLite queue. */
  readonly dataDir: string;
  /** Overrides of the config, for free ports: listen port, realm federation port, peer addresses. */
  readonly listenPort?: number;
  readonly realmPort?: number;
  /** The federation ports of the realm's other instances (cluster mode), tried in turn. */
  readonly realmInstances?: readonly Endpoint[];
  readonly peers?: Readonly<Record<string, Endpoint>>;
  readonly heartbeatMs?: number;
  readonly maxBackoffMs?: number;
  readonly expirySeconds?: number;
  readonly tapPort?: number;
  /** As StartRealmOptions.metricsPort. */
  readonly metricsPort?: number;
  readonly onStderr?: (text: string) => void;
}

export interface BridgeHandle extends Endpoint {
  readonly name: string;
  readonly tapUrl: string | undefined;
  readonly metricsUrl: string | undefined;
  readonly process: NodeProcess;
  readonly options: StartBridgeOptions;
}
