/**
 * What a viewer of the tap says about one frame (docs/design/tap.md): its kind, the colour group
 * that kind is drawn in, a one-line summary, and the message ids it carries, by which a frame's
 * whole journey is found. Read from the frame text alone, for any of the four protocols.
 */
import type { TapLink } from "./tap-event.ts";

/** The groups frames are coloured and filtered by. */
export const TAP_CATEGORIES = ["login", "private", "group", "inbox", "reply", "ack", "presence", "heartbeat", "error", "other"] as const;
export type TapCategory = (typeof TAP_CATEGORIES)[number];

export interface TapFrameDescription {
  /** The command, op, event or frame type: `send`, `message`, `batch`, `OK`, … */
  readonly kind: string;
  readonly category: TapCategory;
  readonly summary: string;
  /** Message ids in the frame (uuids); the classic request that makes a message has none yet. */
  readonly ids: readonly string[];
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

const CATEGORY_OF: Readonly<Record<string, TapCategory>> = {
  auth: "login",
  hello: "login",
  resume: "login",
  logout: "login",
  challenge: "login",
  prove: "login",
  welcome: "login",
  refused: "error",
  send: "private",
  message: "private",
  dm: "private",
  batch: "private",
  delivered: "ack",
  ack: "ack",
  acks: "ack",
  undelivered: "error",
  inbox: "inbox",
  read: "inbox",
  markers: "inbox",
  group: "group",
  join: "group",
  leave: "group",
  say: "group",
  who: "group",
  groups: "group",
  history: "group",
  moved: "group",
  gsay: "group",
  gjoin: "group",
  gleave: "group",
  gevent: "group",
  gwho: "group",
  groster: "group",
  gfind: "group",
  gwhere: "group",
  gmerge: "group",
  gmerged: "group",
  notice: "other",
  peer: "presence",
  directory: "presence",
  ping: "heartbeat",
  pong: "heartbeat",
};

const clip = (text: string, max = 60): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const str = (value: unknown): string => (typeof value === "string" || typeof value === "number" ? String(value) : "");

function described(kind: string, summary: string, frame: string, category?: TapCategory): TapFrameDescription {
  return { kind, category: category ?? CATEGORY_OF[kind] ?? "other", summary: clip(summary), ids: [...new Set(frame.match(UUID) ?? [])] };
}

/** A classic request line (`send <token> james@realm2 halo`), or a line of classic group mode. */
function classicLine(frame: string): TapFrameDescription {
  const words = frame.trim().split(/\s+/);
  const command = (words[0] ?? "").toLowerCase();
  switch (command) {
    case "auth":
      return described("auth", `auth ${words[1] ?? ""}`, frame);
    case "send":
      return described("send", `send → ${words[2] ?? "?"}: ${words.slice(3).join(" ")}`, frame);
    case "inbox":
    case "logout":
      return described(command, command, frame);
    case "group":
      return described("group", `group ${words.slice(2).join(" ")}`, frame);
    default:
      return described("line", frame.trim(), frame, "group");
  }
}

function liveOrFederation(value: Record<string, unknown>, frame: string): TapFrameDescription {
  if (typeof value.op === "string") {
    const op = value.op;
    const detail = [str(value.user), value.to === undefined ? "" : `→ ${str(value.to)}`, str(value.group), str(value.text)];
    return described(op, [op, ...detail].filter((s) => s !== "").join(" "), frame);
  }
  if (typeof value.ev === "string") {
    const ev = value.ev;
    const who = str(value.from) || str(value.member) || str(value.to);
    const text = str(value.text) || str(value.kind);
    return described(ev, `${ev}${who === "" ? "" : ` ${who}`}${text === "" ? "" : `: ${text}`}`, frame);
  }
  if (value.re !== undefined) {
    if (value.ok === false) return described("error", `error ${str(value.code)}: ${str(value.message)}`, frame, "error");
    return described("reply", `reply to ${str(value.re)}${value.queued === true ? " (queued)" : ""}`, frame);
  }
  if (typeof value.status === "string") {
    const ok = value.status === "OK";
    return described(
      value.status,
      `${value.status}${value.message === undefined ? "" : `: ${str(value.message)}`}`,
      frame,
      ok ? "reply" : "error",
    );
  }
  if (typeof value.t === "string") return federationFrame(value.t, value, frame);
  return described("json", frame, frame);
}

function federationFrame(t: string, value: Record<string, unknown>, frame: string): TapFrameDescription {
  const route = value.origin === undefined ? "" : ` ${str(value.origin)}→${str(value.to)}`;
  switch (t) {
    case "batch":
      return described(t, `batch${route}, ${Array.isArray(value.items) ? value.items.length : 0} message(s)`, frame);
    case "acks": {
      const results = Array.isArray(value.results) ? (value.results as { status?: unknown }[]) : [];
      const stored = results.filter((r) => r.status === "stored").length;
      return described(
        t,
        `acks for ${str(value.origin)}: ${stored} stored${results.length > stored ? `, ${results.length - stored} rejected` : ""}`,
        frame,
      );
    }
    case "ack":
      return described(t, `ack ${str(value.status)}`, frame);
    case "peer":
      return described(t, `peer ${str(value.realm)} ${value.up === true ? "up" : "down"}`, frame);
    case "hello":
    case "challenge":
    case "directory":
      return described(t, `${t} ${str(value.realm)}`, frame);
    default:
      return described(t, `${t}${route}${value.group === undefined ? "" : ` ${str(value.group)}`}`, frame);
  }
}

export function describeTapFrame(link: TapLink, frame: string): TapFrameDescription {
  if (frame.charCodeAt(0) !== 0x7b) {
    return link === "classic" ? classicLine(frame) : described("text", frame, frame);
  }
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch {
    return described("unreadable", frame, frame, "error");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return described("json", frame, frame);
  return liveOrFederation(value as Record<string, unknown>, frame);
}
