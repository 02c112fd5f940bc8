import type { Duplex } from "node:stream";

/** Makes the connection of one protocol, given the first chunk the client sent. */
export interface ClientProtocols {
  classic(stream: Duplex, peer: string, first: Buffer): void;
  live(stream: Duplex, peer: string, first: Buffer): void;
}

const OPEN_BRACE = 0x7b;

function isBlank(byte: number): boolean {
  return byte === 0x20 || byte === 0x0d || byte === 0x0a || byte === 0x09;
}

/**
 * Waits for a client's first byte that is not white space and picks the protocol by it
 * (docs/protocol.md): `{` starts the live protocol, anything else is a classic request line.
 */
export function acceptClient(stream: Duplex, peer: string, protocols: ClientProtocols): void {
  const onFirst = (chunk: Buffer): void => {
    let i = 0;
    while (i < chunk.length && isBlank(chunk[i] as number)) i++;
    if (i === chunk.length) return;
    stream.off("data", onFirst);
    if (chunk[i] === OPEN_BRACE) protocols.live(stream, peer, chunk);
    else protocols.classic(stream, peer, chunk);
  };
  stream.on("data", onFirst);
}
