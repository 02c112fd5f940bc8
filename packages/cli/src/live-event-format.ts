import type { LiveEvent, LiveMessage } from "@realmchat/protocol";
import type { Style } from "./format.ts";
import { timeLabel } from "./time-label.ts";

/** `/me waves` is an action: shown as `* messi waves`. */
const ACTION = "/me ";

/** A line someone said, as `who: text`, or `* who text` for an action. */
export function formatSaid(who: string, text: string, style: Style): string {
  return text.startsWith(ACTION) ? `* ${style.bold(who)} ${text.slice(ACTION.length)}` : `${style.bold(who)}: ${text}`;
}

/** A private message: `[09:41] Lionel Messi (messi): apa kabar?` */
export function formatLiveMessage(m: LiveMessage, style: Style): string {
  const who = m.fromName === m.from ? m.from : `${m.fromName} (${m.from})`;
  return `${style.dim(`[${timeLabel(m.ts)}]`)} ${formatSaid(who, m.text, style)}`;
}

/** One pushed event as a line for people. */
export function formatLiveEvent(event: LiveEvent, style: Style): string {
  switch (event.ev) {
    case "message":
      return formatLiveMessage(event, style);
    case "group": {
      const where = style.cyan(`#${event.group}`);
      if (event.kind === "message")
        return `${style.dim(`[${timeLabel(event.ts)}]`)} ${where} ${formatSaid(event.member, event.text ?? "", style)}`;
      return style.dim(`[${timeLabel(event.ts)}] #${event.group} ${event.member} ${event.kind}`);
    }
    case "moved":
      return style.cyan(`* ${event.text}`);
    case "delivered":
      return style.dim(`delivered to ${event.to}`);
    case "notice":
      return style.red(`* ${event.text}`);
    case "read":
      return style.dim(`read ${event.conversation}`);
  }
}
