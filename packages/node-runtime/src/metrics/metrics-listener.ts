import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { describeError } from "../describe-error.ts";
import type { Logger } from "../logger.ts";
import { listenTcp, type TcpListener } from "../tcp-listen.ts";

/** Why a process cannot serve now (`/readyz` answers 503 with them); none means ready. */
export type Readiness = () => Promise<readonly string[]>;

export interface MetricsListenerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  readonly readiness: Readiness;
  readonly logger: Logger;
}

const TEXT = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } as const;

function answer(res: ServerResponse, status: number, body: string, headers: Readonly<Record<string, string>> = TEXT): void {
  res.writeHead(status, { ...headers, "content-length": Buffer.byteLength(body) });
  res.end(res.req.method === "HEAD" ? undefined : body);
}

async function serve(options: MetricsListenerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") return answer(res, 405, "only GET and HEAD\n", { ...TEXT, allow: "GET, HEAD" });
  const path = new URL(req.url ?? "/", "http://metrics").pathname;
  switch (path) {
    case "/metrics":
      return answer(res, 200, await options.registry.metrics(), {
        "content-type": options.registry.contentType,
        "cache-control": "no-store",
      });
    case "/healthz":
      return answer(res, 200, "ok\n");
    case "/readyz": {
      const reasons = await options.readiness();
      return reasons.length === 0 ? answer(res, 200, "ready\n") : answer(res, 503, `not ready: ${reasons.join("; ")}\n`);
    }
    default:
      return answer(res, 404, "not found (try /metrics, /healthz or /readyz)\n");
  }
}

/**
 * The process's metrics listener (docs/operating.md, "Metrics and health"): Prometheus text at
 * `/metrics`, `/healthz` (the process answers) and `/readyz` (it can serve: 503 with the reasons
 * otherwise). A failure while answering is a 500 and one log line; the process goes on.
 */
export function listenMetrics(options: MetricsListenerOptions): Promise<TcpListener> {
  const server = createServer((req, res) => {
    serve(options, req, res).catch((err: unknown) => {
      options.logger.warn("metrics request failed", { path: req.url ?? "", error: describeError(err) });
      if (!res.headersSent) answer(res, 500, "internal error\n");
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  return listenTcp(server, options);
}
