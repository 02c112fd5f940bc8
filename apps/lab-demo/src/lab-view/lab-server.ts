import { createServer } from "node:http";
import { isFromThisMachine, listenTcp, serveStatic, type Logger, type TcpListener } from "@realmchat/node-runtime";
import { WebSocketServer, type WebSocket } from "ws";

/** A page this far behind is dropped; it reconnects and starts again from a fresh snapshot. */
const MAX_UNSENT_BYTES = 16 * 1024 * 1024;

/** What the page is sent: the whole state when it connects, then each change (docs/design/lab-view.md). */
export type LabMessage = Readonly<Record<string, unknown>> & { readonly type: string };

/** What the server asks of the lab: its state for a new page, and the actions the page may take. */
export interface LabActions {
  /** The first message a page gets: topology, scenarios, faults, state and the trace so far. */
  snapshot(): LabMessage;
  /** Starts a scenario or applies a fault; the answer's status is 202, 404 (no such one) or 409 (busy). */
  act(kind: "scenario" | "fault", id: string): number;
}

export interface LabServer {
  readonly url: string;
  broadcast(message: LabMessage): void;
  close(): Promise<void>;
}

/**
 * The lab view's server (docs/design/lab-view.md): the built page from `pageDir` at `/`, the
 * trace and state over a WebSocket at `/events`, and `POST /api/scenario/<id>` and
 * `POST /api/fault/<id>`. Loopback only.
 */
export async function listenLab(options: {
  readonly port: number;
  readonly pageDir: string;
  readonly actions: LabActions;
  readonly logger: Logger;
}): Promise<LabServer> {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const action = /^\/api\/(scenario|fault)\/([a-z0-9-]+)$/.exec(path);
    if (action !== null) {
      if (request.method !== "POST" || !isFromThisMachine(request)) {
        response.writeHead(request.method === "POST" ? 403 : 405).end();
        return;
      }
      response.writeHead(options.actions.act(action[1] as "scenario" | "fault", action[2] as string)).end();
      return;
    }
    serveStatic(options.pageDir, request, response, options.logger);
  });
  server.on("upgrade", (request, socket, head) => {
    if (new URL(request.url ?? "/", "http://127.0.0.1").pathname !== "/events" || !isFromThisMachine(request)) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      ws.on("error", () => ws.terminate());
      ws.send(JSON.stringify(options.actions.snapshot()));
    });
  });
  const listener: TcpListener = await listenTcp(server, { host: "127.0.0.1", port: options.port });
  return {
    url: `http://127.0.0.1:${listener.port}`,
    broadcast(message) {
      const text = JSON.stringify(message);
      for (const ws of sockets.clients) {
        if (ws.bufferedAmount > MAX_UNSENT_BYTES) ws.terminate();
        else ws.send(text);
      }
    },
    async close() {
      for (const ws of sockets.clients) ws.terminate();
      await listener.close();
    },
  };
}
