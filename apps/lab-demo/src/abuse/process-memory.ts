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

/** Samples the resident memory of named processes and keeps each one's peak since the last reset. */
export class PeakMemory {
  readonly #pids: () => ReadonlyMap<string, number>;
  readonly #peaks = new Map<string, number>();
  readonly #timer: NodeJS.Timeout;

  constructor(pids: () => ReadonlyMap<string, number>, everyMs = 100) {
    this.#pids = pids;
    this.#timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): void {
    for (const [name, pid] of this.#pids()) {
      const rss = residentBytes(pid);
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
