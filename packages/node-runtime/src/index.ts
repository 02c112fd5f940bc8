export { FlushScheduler, type Flushable } from "./output/flush-scheduler.ts";
export { CoalescingWriter, type TextSink } from "./output/coalescing-writer.ts";
export { formatLogLine, hasLineBreaker, logValue, silentLogger, escapeLineBreakers, type Logger, type LogFields } from "./logger.ts";
export {
  createProcessLogger,
  LOG_FORMATS,
  LOG_LEVELS,
  MAX_UNWRITTEN_LOG_BYTES,
  type LogFormat,
  type LogLevel,
  type ProcessLogger,
  type ProcessLoggerOptions,
} from "./process-logger.ts";
export { parseLogLines, type LogEntry } from "./log-entry.ts";
export { describeError } from "./describe-error.ts";
export { handled, HANDLED_DONE, type Handled } from "./handled.ts";
export { logUnhandledFailures } from "./process-failures.ts";
export type { SqlDatabase, SqlStatement, SqlValue } from "./sqlite/sql-database.ts";
export { applyMigrations, SchemaTooNewError, type Migrations } from "./sqlite/migrations.ts";
export { CommitQueue, StorageClosedError, type CommitObserver, type Completion, type StorageOp } from "./sqlite/commit-queue.ts";
export { WalCheckpointer, type CheckpointProgress } from "./sqlite/wal-checkpointer.ts";
export { DatabaseMissingError, openSqliteDatabase, type OpenedDatabase, type OpenMode } from "./sqlite/open-sqlite.ts";
export { ConfigFileError, ConfigReader, readConfigText, type ConfigErrorFactory } from "./config-file.ts";
export { keysOf, renderConfigReference, METRICS_KEYS, TLS_FILES_KEYS, type ConfigKey, type ConfigKeys } from "./config-keys.ts";
export { listenTcp, type TcpListener } from "./tcp-listen.ts";
export { freeLocalPort } from "./free-port.ts";
export {
  FederationLink,
  type FederationLinkOptions,
  type LinkHandler,
  type LinkRole,
  type LinkTiming,
} from "./federation/federation-link.ts";
export {
  parsePort,
  parseSeconds,
  parseMs,
  parsePositiveInt,
  parseLogLevel,
  parseLogFormat,
  addLogOptions,
  runCommandLine,
  registerSecretCommand,
} from "./command-line.ts";
export type { WrittenCallback } from "./output/coalescing-writer.ts";
export { generateSecret, secretProblem } from "./secrets.ts";
export {
  loadTlsIdentity,
  checkTlsFiles,
  certificateFingerprint,
  dialPinned,
  type TlsFiles,
  type TlsIdentity,
  type PinnedDial,
} from "./tls-identity.ts";
export { makeSelfSignedCertificate, type SelfSignedCertificate } from "./self-signed-certificate.ts";
export { promptSecret, canPrompt, PromptCancelledError } from "./secret-prompt.ts";
export { TapRecorder, type TapRecorderOptions, type TapSubscriber } from "./tap/tap-recorder.ts";
export { tapStream, type TappableStream, type TapEnds } from "./tap/tapped-stream.ts";
export { listenTap, type TapServer } from "./tap/tap-server.ts";
export { startProcessTap, type ProcessTap, type StreamObserver } from "./tap/process-tap.ts";
export { serveStatic, SECURITY_HEADERS } from "./http/static-files.ts";
export { isFromThisMachine } from "./http/loopback-origin.ts";
export { listenAdminSocket, askAdminSocket, NotRunningError, type AdminSocket, type AdminAnswer } from "./admin/admin-socket.ts";
export { listenMetrics, type MetricsListenerOptions, type Readiness } from "./metrics/metrics-listener.ts";
export { ProcessMetrics } from "./metrics/process-metrics.ts";
export { metricsConfigOf, withMetricsPort, DEFAULT_METRICS_HOST, type MetricsConfig } from "./metrics/metrics-config.ts";
export { parsePrometheusText, sampleValue, PrometheusTextError, type Scrape, type MetricSample } from "./metrics/prometheus-text.ts";
