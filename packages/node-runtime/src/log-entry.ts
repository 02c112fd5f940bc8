/** One line of a server process's JSON log, as {@link createProcessLogger} writes it. */
export interface LogEntry {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly time: string;
  readonly role: string;
  readonly name: string;
  readonly pid: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/**
 * The entries of a JSON log read so far: each complete line parsed, a last line still being
 * written left for later. A line that is not JSON is an error: the log is ours and says only that.
 */
export function parseLogLines(text: string): LogEntry[] {
  const end = text.lastIndexOf("\n");
  if (end < 0) return [];
  return text
    .slice(0, end)
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as LogEntry);
}
