import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { describeError } from "../describe-error.ts";
import type { Logger } from "../logger.ts";

/**
 * Sent with every page and file: scripts and styles only from the server itself (no inline
 * script, so an injected one does not run), WebSockets to the same server, no framing by other sites.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
};

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
};

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8" });
  response.end(`${text}\n`);
}

/** A file of a built page under `root` (`/` is `index.html`); nothing outside `root` is ever read. */
export function serveStatic(root: string, request: IncomingMessage, response: ServerResponse, logger: Logger): void {
  if (request.method !== "GET" && request.method !== "HEAD") return plain(response, 405, "only GET and HEAD");
  let path: string;
  try {
    path = decodeURIComponent((request.url ?? "/").split("?")[0] as string);
  } catch {
    return plain(response, 400, "bad path");
  }
  const base = resolve(root);
  const file = resolve(join(base, path === "/" ? "index.html" : path));
  if (file !== base && !file.startsWith(base + sep)) return plain(response, 404, "not found");
  stat(file).then(
    (info) => {
      if (!info.isFile()) return plain(response, 404, "not found");
      response.writeHead(200, {
        ...SECURITY_HEADERS,
        "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
        "Content-Length": String(info.size),
        // Built assets carry a hash in their names; the page itself is checked every time.
        "Cache-Control": file.endsWith("index.html") ? "no-cache" : "public, max-age=31536000, immutable",
      });
      if (request.method === "HEAD") return response.end();
      createReadStream(file)
        .on("error", (err) => {
          logger.error("a client file could not be read", { file, error: describeError(err) });
          response.destroy();
        })
        .pipe(response);
    },
    () => plain(response, 404, "not found"),
  );
}
