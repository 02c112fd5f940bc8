import { InvalidArgumentError } from "commander";

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError("expected a port number 0..65535");
  return port;
}

export function parseMs(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new InvalidArgumentError("expected a positive number of milliseconds");
  return ms;
}

/** `--peer realm2=127.0.0.1:9899`, repeatable: where to dial a peer, overriding the config. */
export function collectPeerAddress(value: string, previous: ReadonlyMap<string, { host: string; port: number }>): Map<string, { host: string; port: number }> {
  const eq = value.indexOf("=");
  const colon = value.lastIndexOf(":");
  const port = Number(value.slice(colon + 1));
  if (eq <= 0 || colon < eq || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new InvalidArgumentError("expected realm=host:port");
  }
  return new Map(previous).set(value.slice(0, eq), { host: value.slice(eq + 1, colon), port });
}

export function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError("expected a positive number of seconds");
  return seconds;
}
