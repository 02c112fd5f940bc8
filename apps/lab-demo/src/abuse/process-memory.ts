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

/** The least time between two reads of one process's PSS. */
const PSS_EVERY_MS = 1000;

/**
 * Samples the resident memory of named processes and keeps each one's peak since the last reset;
 * with `proportional`, also their PSS, read when a process's RSS is higher than at its last PSS
 * read and that read is PSS_EVERY_MS old (and at each takePeaks). Reading smaps_rollup walks the
 * whole address space (about 3 ms for a 350 MB process): read every 50 ms for five processes, it
 * took a third of a core from the machine it measured. The PSS peak is therefore the highest PSS
 * read, at most a second from the RSS peak.
 */
export class PeakMemory {
  readonly #pids: () => ReadonlyMap<string, number>;
  readonly #proportional: boolean;
  readonly #peaks = new Map<string, number>();
  readonly #pssPeaks = new Map<string, number>();
  /** Each process's RSS when its PSS was last read, and when that was. */
  readonly #rssAtPss = new Map<string, number>();
  readonly #pssReadAt = new Map<string, number>();
  readonly #timer: NodeJS.Timeout;

  constructor(pids: () => ReadonlyMap<string, number>, options: { readonly everyMs?: number; readonly proportional?: boolean } = {}) {
    this.#pids = pids;
    this.#proportional = options.proportional === true;
    this.#timer = setInterval(() => this.sample(), options.everyMs ?? 100);
  }

  sample(readPss = false): void {
    for (const [name, pid] of this.#pids()) {
      const rss = residentBytes(pid);
      if (rss === undefined) continue;
      this.#peaks.set(name, Math.max(this.#peaks.get(name) ?? 0, rss));
      if (!this.#proportional) continue;
      const now = Date.now();
      const due = rss > (this.#rssAtPss.get(name) ?? 0) && now - (this.#pssReadAt.get(name) ?? 0) >= PSS_EVERY_MS;
      if (!readPss && !due) continue;
      const pss = proportionalBytes(pid);
      if (pss === undefined) continue;
      this.#rssAtPss.set(name, rss);
      this.#pssReadAt.set(name, now);
      this.#pssPeaks.set(name, Math.max(this.#pssPeaks.get(name) ?? 0, pss));
    }
  }

  /** The peaks since the last call, in MB (RSS, and PSS where asked for), and a fresh start. */
  takePeaks(): { readonly rss: Map<string, number>; readonly pss: Map<string, number> } {
    this.sample(true);
    const inMb = (peaks: Map<string, number>): Map<string, number> =>
      new Map([...peaks].map(([name, bytes]) => [name, Math.round(bytes / (1024 * 1024))]));
    const taken = { rss: inMb(this.#peaks), pss: inMb(this.#pssPeaks) };
    this.#peaks.clear();
    this.#pssPeaks.clear();
    this.#rssAtPss.clear();
    this.#pssReadAt.clear();
    return taken;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
