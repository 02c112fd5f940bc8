import type { IncomingMessage } from "node:http";

/**
 * Whether a request may come from a page: only from a page served by this machine, or from no
 * page at all (no `Origin`). A page on another site, even one whose name resolves to 127.0.0.1,
 * names that site in its `Origin` and is refused.
 */
export function isFromThisMachine(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    const host = new URL(origin).hostname;
    return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
  } catch {
    return false;
  }
}
