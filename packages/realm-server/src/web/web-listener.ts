import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { listenTcp, SECURITY_HEADERS, serveStatic, type StreamObserver, type TcpListener, type TlsIdentity } from "@realmchat/node-runtime";
import { WebSocketServer, type WebSocket } from "ws";
import { ConnectionGate } from "../connections/connection-gate.ts";
import type { Realm } from "../realm.ts";
import { WebSocketLineStream } from "./websocket-line-stream.ts";

export interface WebListenerOptions {
  readonly host: string;
  readonly port: number;
  /** Origins besides the realm's own page whose scripts may open `/live` (`https://chat.example`). */
  readonly allowOrigins?: readonly string[];
  /** The built browser client, served at `/`; without it only `/live` answers. */
  readonly staticDir?: string;
  readonly tls?: TlsIdentity | undefined;
  /** How often a silent WebSocket is pinged; one that has not answered the last ping is dropped. */
  readonly heartbeatMs?: number;
  /** Shown each live WebSocket's line stream (the tap, with `--tap`). */
  readonly observe?: StreamObserver | undefined;
}

/** The live endpoint's path: one JSON frame per WebSocket text frame (docs/protocol.md, "WebSocket"). */
const LIVE_PATH = "/live";

/**
 * Whether a page from `origin` may open the live endpoint of `host`. A browser sends every cookie
 * and ambient credential with a WebSocket handshake whatever page opened it, so a page of another
 * site must not be let in (cross-site WebSocket hijacking): only the realm's own page, or an
 * origin the operator allowed.
 */
function originAllowed(origin: string | undefined, host: string | undefined, secure: boolean, allow: readonly string[]): boolean {
  if (origin === undefined) return false;
  if (allow.includes(origin)) return true;
  return host !== undefined && origin === `${secure ? "https" : "http"}://${host}`;
}

function destroyOnError(this: Socket): void {
  this.destroy();
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The realm's HTTP listener (config `web`): the browser client and its WebSocket endpoint
 * `/live`, carrying the live protocol unchanged to the same realm, within the same connection
 * limits as TCP clients (a gate of its own), with the same frame size limit.
 */
export function listenWeb(realm: Realm, options: WebListenerOptions): Promise<TcpListener> {
  const secure = options.tls !== undefined;
  const allow = options.allowOrigins ?? [];
  const gate = new ConnectionGate(realm.limits, realm.meter);
  const wss = new WebSocketServer({ noServer: true, maxPayload: realm.limits.maxFrameBytes, perMessageDeflate: false });
  const alive = new WeakSet<WebSocket>();
  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    if (options.staticDir === undefined) {
      response.writeHead(404, { ...SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8" });
      response.end("no web client is served here; the live protocol is at /live\n");
      return;
    }
    serveStatic(options.staticDir, request, response, realm.logger);
  };
  const server: Server = secure
    ? createHttpsServer({ cert: options.tls?.cert, key: options.tls?.key }, onRequest)
    : createServer(onRequest);
  // Per connection, only what it must keep: the handshake's request (its headers) is not held by
  // any listener, and the listeners shared by every connection are one function each.
  const accept = (ws: WebSocket, socket: Socket, address: string, peer: string): void => {
    ws.once("close", () => gate.release(address));
    alive.add(ws);
    ws.on("pong", markAlive);
    socket.setNoDelay(true);
    const stream = new WebSocketLineStream(ws, socket);
    options.observe?.(stream, { local: realm.name, remote: peer, link: "websocket" });
    realm.handleLive(stream, peer);
  };
  function markAlive(this: WebSocket): void {
    alive.add(this);
  }
  server.on("upgrade", (request: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on("error", destroyOnError);
    const path = (request.url ?? "").split("?")[0];
    if (path !== LIVE_PATH) return refuse(socket, "404 Not Found");
    if (!originAllowed(request.headers.origin, request.headers.host, secure, allow)) {
      realm.logger.warn("WebSocket from a foreign page refused", { origin: request.headers.origin ?? "none" });
      return refuse(socket, "403 Forbidden");
    }
    const address = socket.remoteAddress ?? "unknown";
    if (!gate.admit(address)) return refuse(socket, "503 Service Unavailable");
    const peer = `ws ${address}:${socket.remotePort}`;
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, socket, address, peer));
  });
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();
  return listenTcp(server, options, () => {
    clearInterval(heartbeat);
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  });
}
