import type { ClientStream } from "./client-transport.ts";
import type { Duplex } from "node:stream";
import { encodeClassicReply, ERROR_CODES, errorReply } from "@realmchat/protocol";
import type { RealmLimits } from "../limits.ts";
import type { OpenConnection } from "./connection-context.ts";

/** Makes the connection of one protocol, given the first chunk the client sent. */
export interface ClientProtocols {
  classic(stream: Duplex, peer: string, first: Buffer): void;
  live(stream: ClientStream, peer: string, first: Buffer): void;
}

/** The set of open connections, as far as a connection that has not chosen its protocol sees it. */
export interface UndecidedRegistry {
  add(connection: OpenConnection): void;
  delete(connection: OpenConnection): void;
}

const OPEN_BRACE = 0x7b;
const SILENT_TOO_LONG = encodeClassicReply(errorReply("TIMEOUT", `${ERROR_CODES.TIMEOUT}: nothing was sent`));

function isBlank(byte: number): boolean {
  return byte === 0x20 || byte === 0x0d || byte === 0x0a || byte === 0x09;
}

/**
 * Waits for a client's first byte that is not white space and picks the protocol by it
 * (docs/protocol.md): `{` starts the live protocol, anything else is a classic request line.
 * Until then the connection is held to the login time limit like any other, so a client that
 * connects and sends nothing is not kept forever.
 */
export function acceptClient(
  stream: Duplex,
  peer: string,
  protocols: ClientProtocols,
  open: UndecidedRegistry,
  limits: Pick<RealmLimits, "unauthenticatedTimeoutMs">,
): void {
  const openedAt = Date.now();
  const undecided: OpenConnection = {
    user: undefined,
    peer,
    openedAt,
    notify: () => false,
    removeFromGroup: () => false,
    close: () => stream.destroy(),
    checkDeadlines: (now) => {
      if (now - openedAt <= limits.unauthenticatedTimeoutMs) return;
      open.delete(undecided);
      stream.end(SILENT_TOO_LONG);
      setTimeout(() => stream.destroy(), 1000).unref();
    },
  };
  open.add(undecided);
  const onClose = (): void => {
    open.delete(undecided);
  };
  stream.once("close", onClose);
  const onFirst = (chunk: Buffer): void => {
    let i = 0;
    while (i < chunk.length && isBlank(chunk[i] as number)) i++;
    if (i === chunk.length) return;
    // Nothing of this stays with the connection once its protocol is chosen (every listener
    // left on the stream would keep all of this alive as long as the connection lasts).
    stream.off("data", onFirst);
    stream.off("close", onClose);
    open.delete(undecided);
    if (chunk[i] === OPEN_BRACE) protocols.live(stream, peer, chunk);
    else protocols.classic(stream, peer, chunk);
  };
  stream.on("data", onFirst);
}
