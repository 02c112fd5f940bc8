import type { LiveEvent, RequestId } from "./live-frames.ts";

/** A line from a live server, as a client sees it (docs/protocol.md, "Live protocol"). */
export type DecodedServerFrame =
  | { readonly kind: "event"; readonly event: LiveEvent }
  | { readonly kind: "ok"; readonly re: RequestId; readonly body: Readonly<Record<string, unknown>> }
  | { readonly kind: "error"; readonly re: RequestId | null; readonly code: string; readonly message: string }
  | { readonly kind: "invalid"; readonly line: string };

const EVENTS = { message: true, group: true, moved: true, delivered: true, notice: true, read: true } as const satisfies Record<
  LiveEvent["ev"],
  true
>;

/**
 * Sorts a server line into an event, a success or an error reply. Which result type a success
 * carries depends on the request it answers, which only the client knows (it matches `re`).
 */
export function decodeLiveServerFrame(line: string): DecodedServerFrame {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: "invalid", line };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { kind: "invalid", line };
  const raw = value as Record<string, unknown>;
  if (typeof raw.ev === "string")
    return Object.hasOwn(EVENTS, raw.ev) ? { kind: "event", event: raw as unknown as LiveEvent } : { kind: "invalid", line };
  const re = typeof raw.re === "string" || typeof raw.re === "number" ? raw.re : null;
  if (raw.ok === true && re !== null) return { kind: "ok", re, body: raw };
  if (raw.ok === false)
    return {
      kind: "error",
      re,
      code: typeof raw.code === "string" ? raw.code : "INTERNAL",
      message: typeof raw.message === "string" ? raw.message : "error",
    };
  return { kind: "invalid", line };
}
