import { chmod, mkdir, rm } from "node:fs/promises";
import { connect, createServer, type Server, type Socket } from "node:net";
import { dirname } from "node:path";
import { LineDecoder, type FrameError } from "@realmchat/protocol";
import { describeError } from "../describe-error.ts";
import type { Logger } from "../logger.ts";

/** A request line is small; anything longer is not one. */
const MAX_REQUEST_LINE = 64 * 1024;

/** A listening admin socket. */
export interface AdminSocket {
  readonly path: string;
  close(): Promise<void>;
}

/** Answers one request line with a reply, sent as one JSON line; a rejection is logged and answered `{ok: false}`. */
export type AdminAnswer = (line: string) => Promise<unknown>;

function serveConnection(socket: Socket, answer: AdminAnswer, logger: Logger): void {
  const reply = (r: unknown): void => {
    socket.write(JSON.stringify(r) + "\n");
  };
  let queue = Promise.resolve();
  const decoder = new LineDecoder({ maxFrameBytes: MAX_REQUEST_LINE });
  const sink = {
    onLine(line: string): void {
      // One request at a time, answered in order.
      queue = queue.then(async () => {
        try {
          reply(await answer(line));
        } catch (err) {
          logger.error("admin request failed", { error: describeError(err) });
          reply({ ok: false, message: `failed: ${(err as Error).message}` });
        }
      });
    },
    onFrameError(error: FrameError): void {
      reply({ ok: false, message: error.message });
      socket.end();
    },
  };
  socket.on("data", (chunk: Buffer) => decoder.push(chunk, sink));
  socket.on("error", () => socket.destroy());
}

/**
 * Listens on the Unix socket `path` (a realm's or a bridge's `admin.sock` in its data folder),
 * readable by its owner only: whoever can reach it can manage the process, so no password
 * protects it. One JSON request per line, one JSON reply per line.
 */
export async function listenAdminSocket(path: string, answer: AdminAnswer, logger: Logger): Promise<AdminSocket> {
  await mkdir(dirname(path), { recursive: true });
  // A socket file left by a process that was killed would refuse the new listener.
  await rm(path, { force: true });
  const server: Server = createServer((socket) => serveConnection(socket, answer, logger));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => {
      server.off("error", reject);
      resolve();
    });
  });
  await chmod(path, 0o600);
  return { path, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Nothing answers on an admin socket: the process is not running there. */
export class NotRunningError extends Error {
  override readonly name = "NotRunningError";
  readonly code = "NOT_RUNNING";
  readonly path: string;
  constructor(what: string, path: string, options?: { cause?: unknown }) {
    super(`no ${what} is running there (nothing answers on ${path})`, options);
    this.path = path;
  }
}

/** Sends one request to the admin socket at `path` and resolves with its reply (`what` names the process for errors). */
export function askAdminSocket(path: string, what: string, request: unknown, timeoutMs = 5000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the ${what} did not answer on ${path} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write(JSON.stringify(request) + "\n"));
    socket.on("data", (chunk: string) => {
      text += chunk;
      const end = text.indexOf("\n");
      if (end === -1) return;
      clearTimeout(timer);
      socket.end();
      resolve(JSON.parse(text.slice(0, end)) as unknown);
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === "ENOENT" || err.code === "ECONNREFUSED" ? new NotRunningError(what, path, { cause: err }) : err);
    });
  });
}
