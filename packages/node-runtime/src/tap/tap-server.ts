import type { IncomingMessage } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { isFromThisMachine } from "../http/loopback-origin.ts";
import type { TapRecorder, TapSubscriber } from "./tap-recorder.ts";

/** Output a tap reader may have unread before it is sent nothing more until it catches up. */
const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

export interface TapServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A reader of the tap over a WebSocket: each message is one turn's records (docs/protocol.md, "Tap"). A reader
 * that is behind by MAX_UNREAD_BYTES misses events until it catches up, and is then told how many
 * with a `{"dropped":N}` line first (its `seq` shows the gap too).
 */
class WebSocketTapReader implements TapSubscriber {
  readonly #ws: WebSocket;
  #dropped = 0;

  constructor(ws: WebSocket) {
    this.#ws = ws;
  }

  take(records: string, count: number): void {
    if (this.#ws.bufferedAmount > MAX_UNREAD_BYTES) {
      this.#dropped += count;
      return;
    }
    if (this.#dropped > 0) {
      this.#ws.send(`{"dropped":${this.#dropped}}\n${records}`);
      this.#dropped = 0;
    } else this.#ws.send(records);
  }
}

/**
 * Serves `recorder` at ws://127.0.0.1:<port>/tap (docs/design/tap.md): on loopback only, and to
 * browser pages only if they come from this machine. Each reader gets the events kept, then
 * every turn's events as they come.
 */
export function listenTap(recorder: TapRecorder, port: number): Promise<TapServer> {
  return new Promise((resolve, reject) => {
    const server = new WebSocketServer({
      host: "127.0.0.1",
      port,
      path: "/tap",
      verifyClient: (info: { req: IncomingMessage }) => isFromThisMachine(info.req),
    });
    server.once("error", reject);
    server.on("connection", (ws) => {
      const unsubscribe = recorder.subscribe(new WebSocketTapReader(ws));
      ws.on("close", unsubscribe);
      ws.on("error", () => ws.terminate());
    });
    server.once("listening", () => {
      server.off("error", reject);
      const address = server.address();
      resolve({
        port: typeof address === "object" && address !== null ? address.port : port,
        close: () =>
          new Promise<void>((done) => {
            for (const ws of server.clients) ws.terminate();
            server.close(() => done());
          }),
      });
    });
  });
}
