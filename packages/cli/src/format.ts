import type { InboxEntry } from "@realmchat/protocol";
import { timeLabel } from "./time-label.ts";

/** Terminal colours, off for pipes and when NO_COLOR is set (https://no-color.org). */
export interface Style {
  dim(text: string): string;
  bold(text: string): string;
  red(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  /** A line that mentions the reader. */
  yellow(text: string): string;
}

const plain: Style = { dim: (t) => t, bold: (t) => t, red: (t) => t, green: (t) => t, cyan: (t) => t, yellow: (t) => t };
const ansi = (open: number, close: number) => (t: string) => `\u001b[${open}m${t}\u001b[${close}m`;
const colored: Style = {
  dim: ansi(2, 22),
  bold: ansi(1, 22),
  red: ansi(31, 39),
  green: ansi(32, 39),
  cyan: ansi(36, 39),
  yellow: ansi(33, 39),
};

export function styleFor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return stream.isTTY === true && !noColor ? colored : plain;
}

/** One inbox entry as a person reads it: `[09:41] Lionel Messi (messi): apa kabar?` */
export function formatInboxEntry(entry: InboxEntry, style: Style): string {
  const who = entry.fromName === entry.from ? entry.from : `${entry.fromName} (${entry.from})`;
  return `${style.dim(`[${timeLabel(entry.sentAt)}]`)} ${style.bold(who)}: ${entry.text}`;
}

export function formatInbox(entries: readonly InboxEntry[], style: Style): string {
  if (entries.length === 0) return style.dim("inbox is empty");
  const lines = entries.map((e) => formatInboxEntry(e, style));
  return `${entries.length} message${entries.length === 1 ? "" : "s"}:\n${lines.join("\n")}`;
}
