import type { LiveEvent, LiveMessage } from "@realmchat/protocol";
import type { Style } from "./format.ts";

function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/** A private message: `[09:41] Lionel Messi (messi): apa kabar?` */
export function formatLiveMessage(m: LiveMessage, style: Style): string {
  const who = m.fromName === m.from ? m.from : `${m.fromName} (${m.from})`;
  return `${style.dim(`[${clock(m.ts)}]`)} ${style.bold(who)}: ${m.text}`;
}

/** One pushed event as a line for people. */
export function formatLiveEvent(event: LiveEvent, style: Style): string {
  switch (event.ev) {
    case "message":
      return formatLiveMessage(event, style);
    case "group": {
      const where = style.cyan(`#${event.group}`);
      if (event.kind === "message") return `${style.dim(`[${clock(event.ts)}]`)} ${where} ${style.bold(event.member)}: ${event.text ?? ""}`;
      return style.dim(`[${clock(event.ts)}] #${event.group} ${event.member} ${event.kind}`);
    }
    case "moved":
      return style.cyan(`* ${event.text}`);
    case "delivered":
      return style.dim(`delivered to ${event.to}`);
    case "notice":
      return style.red(`* ${event.text}`);
  }
}
