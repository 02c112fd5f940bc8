import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc's counters (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in microseconds; 0 once it is gone. */
export function processCpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1_000_000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU microseconds used by all of `pids` together. */
export function totalCpuMicros(pids: Iterable<number>): number {
  let sum = 0;
  for (const pid of pids) sum += processCpuMicros(pid);
  return sum;
}
