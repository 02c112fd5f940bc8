import { readFileSync } from "node:fs";

/** Resident memory of a process in bytes, from /proc (Linux); undefined once it is gone. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * Proportional memory of a process in bytes (PSS, from /proc/<pid>/smaps_rollup): its own pages,
 * plus each page it shares divided by the number of processes sharing it. Four Node processes map
 * the same 75 MB or so of the `node` binary; their RSS counts it four times, their PSS once.
 */
export function proportionalBytes(pid: number): number | undefined {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** Samples the memory of named processes (resident by default) and keeps each one's peak since the last reset. */
export class PeakMemory {
  readonly #pids: () => ReadonlyMap<string, number>;
  readonly #measure: (pid: number) => number | undefined;
  readonly #peaks = new Map<string, number>();
  readonly #timer: NodeJS.Timeout;

  constructor(pids: () => ReadonlyMap<string, number>, everyMs = 100, measure: (pid: number) => number | undefined = residentBytes) {
    this.#pids = pids;
    this.#measure = measure;
    this.#timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): void {
    for (const [name, pid] of this.#pids()) {
      const rss = this.#measure(pid);
      if (rss !== undefined) this.#peaks.set(name, Math.max(this.#peaks.get(name) ?? 0, rss));
    }
  }

  /** The peaks since the last call, in MB, and a fresh start. */
  takePeaks(): Map<string, number> {
    this.sample();
    const out = new Map([...this.#peaks].map(([name, bytes]) => [name, Math.round(bytes / (1024 * 1024))]));
    this.#peaks.clear();
    return out;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
