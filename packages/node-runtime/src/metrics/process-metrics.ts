import { collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { CommitObserver } from "../sqlite/commit-queue.ts";
import type { Logger } from "../logger.ts";
import type { TcpListener } from "../tcp-listen.ts";
import type { MetricsConfig } from "./metrics-config.ts";
import { listenMetrics, type Readiness } from "./metrics-listener.ts";

/** Seconds a group commit may take, as the histogram's buckets: from a page-cache write to a slow disk's fsync. */
const COMMIT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * What every server process reports (docs/operating.md, "Metrics and health"): prom-client's
 * defaults (CPU, resident memory, heap spaces, event-loop lag, GC pauses, open handles) and its
 * store's commit times, each sample labelled with the process's role and name so that one
 * Prometheus can scrape realms and bridges together. A realm or a bridge adds its own metrics to
 * `registry`.
 */
export class ProcessMetrics {
  readonly registry = new Registry();
  /** Given to the process's store, which tells it how long each group commit took. */
  readonly observeCommit: CommitObserver;
  readonly #at: MetricsConfig;

  constructor(labels: { readonly role: string; readonly name: string }, at: MetricsConfig) {
    this.#at = at;
    this.registry.setDefaultLabels({ role: labels.role, name: labels.name });
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    const commits = new Histogram({
      name: "realmchat_commit_seconds",
      help: "How long each group commit of the process's store took (one per event-loop turn with writes).",
      buckets: COMMIT_BUCKETS,
      registers: [this.registry],
    });
    this.observeCommit = (seconds) => commits.observe(seconds);
  }

  /** Serves /metrics, /healthz and /readyz where the config says. */
  listen(readiness: Readiness, logger: Logger): Promise<TcpListener> {
    return listenMetrics({ ...this.#at, registry: this.registry, readiness, logger });
  }
}
