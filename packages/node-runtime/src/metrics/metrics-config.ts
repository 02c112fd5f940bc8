import type { ConfigReader } from "../config-file.ts";
import { keysOf, METRICS_KEYS } from "../config-keys.ts";

/** Config `metrics`: where the process serves /metrics, /healthz and /readyz; off unless set. */
export interface MetricsConfig {
  /** Loopback unless given: the metrics say much about the users' traffic. */
  readonly host: string;
  readonly port: number;
}

export const DEFAULT_METRICS_HOST = "127.0.0.1";

export function metricsConfigOf(read: ConfigReader, value: unknown): MetricsConfig | undefined {
  if (value === undefined) return undefined;
  const m = read.object(value, "metrics");
  read.only(m, keysOf(METRICS_KEYS), "metrics");
  const port = read.optionalPort(m.port, "metrics.port");
  if (port === undefined) read.fail("'metrics' needs a 'port' (0 picks a free one)");
  return { host: read.optionalString(m.host, "metrics.host") ?? DEFAULT_METRICS_HOST, port };
}

/** A config with its metrics port set from the command line (`--metrics-port`), which also turns them on. */
export function withMetricsPort<C extends { readonly metrics?: MetricsConfig | undefined }>(config: C, port: number | undefined): C {
  if (port === undefined) return config;
  return { ...config, metrics: { host: config.metrics?.host ?? DEFAULT_METRICS_HOST, port } };
}
