import { InvalidArgumentError } from "commander";

/** `--peer realm2=127.0.0.1:9899`, repeatable: where to dial a peer, overriding the config. */
export function collectPeerAddress(value: string, previous: ReadonlyMap<string, { host: string; port: number }> | undefined): Map<string, { host: string; port: number }> {
  const eq = value.indexOf("=");
  const colon = value.lastIndexOf(":");
  const port = Number(value.slice(colon + 1));
  if (eq <= 0 || colon < eq || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new InvalidArgumentError("expected realm=host:port");
  }
  return new Map(previous ?? []).set(value.slice(0, eq), { host: value.slice(eq + 1, colon), port });
}
