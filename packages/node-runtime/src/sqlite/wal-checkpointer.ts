import { Worker } from "node:worker_threads";
import type { DatabaseSync } from "node:sqlite";
import { describeError } from "../describe-error.ts";
import type { Logger } from "../logger.ts";

/**
 * The checkpointer's own thread (plain JavaScript, so that it runs as built and from source):
 * its own connection to the database, a PASSIVE checkpoint every `intervalMs` (it never waits for
 * a writer or a reader), each outcome posted back.
 */
const CHECKPOINT_THREAD = `
const { DatabaseSync } = require("node:sqlite");
const { parentPort, workerData } = require("node:worker_threads");
const db = new DatabaseSync(workerData.path);
db.exec("PRAGMA synchronous = FULL; PRAGMA busy_timeout = 0");
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
const timer = setInterval(() => {
  try {
    const row = checkpoint.get();
    parentPort.postMessage({ log: Number(row.log), checkpointed: Number(row.checkpointed) });
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message ? err.message : err) });
  }
}, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** What the last checkpoint found: WAL frames in all, and how many of them are in the database. */
export interface CheckpointProgress {
  readonly log: number;
  readonly checkpointed: number;
}

/** Past this size the WAL file is cut back after a checkpoint has let it restart. */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;
/** SQLite's own default, restored on the serving connection if the thread is lost. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/**
 * Checkpoints of a WAL database run in a thread of their own (docs/design/durability.md,
 * "Checkpoints"), so that copying the WAL into the database and its fsync never hold up the
 * event loop that serves: the serving connection stops checkpointing (`wal_autocheckpoint = 0`).
 * If the thread fails, the serving connection checkpoints again as SQLite does by default, and
 * the failure is logged once.
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #db: DatabaseSync;
  readonly #logger: Logger;
  #last: CheckpointProgress = { log: 0, checkpointed: 0 };
  #stopping = false;
  #lost = false;
  #exited = false;

  constructor(db: DatabaseSync, path: string, options: { readonly intervalMs: number; readonly logger: Logger }) {
    this.#db = db;
    this.#logger = options.logger;
    db.exec(`PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT}`);
    this.#worker = new Worker(CHECKPOINT_THREAD, { eval: true, workerData: { path, intervalMs: options.intervalMs } });
    this.#worker.unref();
    this.#worker.on("message", (m: CheckpointProgress | { readonly error: string }) => {
      if ("error" in m) this.#logger.warn("a checkpoint failed; the next one tries again", { error: m.error });
      else this.#last = m;
    });
    this.#worker.on("error", (err) => this.#lose(describeError(err)));
    this.#worker.on("exit", (code) => {
      this.#exited = true;
      if (!this.#stopping) this.#lose(`the checkpoint thread exited with ${code}`);
    });
  }

  /** What the last checkpoint found (for tests and the operator). */
  get last(): CheckpointProgress {
    return this.#last;
  }

  #lose(reason: string): void {
    if (this.#lost || this.#stopping) return;
    this.#lost = true;
    this.#db.exec(`PRAGMA wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
    this.#logger.error("checkpoints are back on the serving connection", { reason });
  }

  /** Stops the thread, after its checkpoint in progress if any; before the serving connection closes. */
  stop(): Promise<void> {
    this.#stopping = true;
    if (this.#exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.#worker.once("exit", () => resolve());
      // Unreferenced, the thread would not keep this process alive until it has stopped.
      this.#worker.ref();
      this.#worker.postMessage("stop");
    });
  }
}
