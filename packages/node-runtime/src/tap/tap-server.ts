import type { IncomingMessage } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { isFromThisMachine } from "../http/loopback-origin.ts";
import type { TapRecorder, TapSubscriber } from "./tap-recorder.ts";

/** Output a tap reader may have unread before it is sent nothing more until it catches up. */
const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

/** A message's bytes are UTF-8 text: sent as a text message, as they are. */
const TEXT = { binary: false } as const;

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

  take(message: Buffer, count: number): void {
    if (this.#ws.bufferedAmount > MAX_UNREAD_BYTES) {
      this.#dropped += count;
      return;
    }
    if (this.#dropped > 0) {
      this.#ws.send(Buffer.concat([Buffer.from(`{"dropped":${this.#dropped}}\n`), message]), TEXT);
      this.#dropped = 0;
    } else this.#ws.send(message, TEXT);
  }
}

/** Names a reader may give in `with`: realms' and bridges' names, as records name them. */
const PROCESS_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_ALSO_READ = 64;

/** The other processes whose taps this reader says it reads too: `/tap?with=realm1,bridge-realm2` (docs/protocol.md, "Tap"). */
function alsoReadBy(req: IncomingMessage): ReadonlySet<string> {
  const list = new URL(req.url ?? "/", "http://127.0.0.1").searchParams.get("with");
  if (list === null) return new Set();
  return new Set(
    list
      .split(",")
      .filter((name) => PROCESS_NAME.test(name))
      .slice(0, MAX_ALSO_READ),
  );
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
    server.on("connection", (ws, req) => {
      const unsubscribe = recorder.subscribe(new WebSocketTapReader(ws), alsoReadBy(req));
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
