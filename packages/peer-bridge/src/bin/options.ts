import { InvalidArgumentError } from "commander";

/** `--peer realm2=127.0.0.1:9899`, repeatable: where to dial a peer, overriding the config. */
export function collectPeerAddress(
  value: string,
  previous: ReadonlyMap<string, { host: string; port: number }> | undefined,
): Map<string, { host: string; port: number }> {
  const eq = value.indexOf("=");
  const colon = value.lastIndexOf(":");
  const port = Number(value.slice(colon + 1));
  if (eq <= 0 || colon < eq || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new InvalidArgumentError("expected realm=host:port");
  }
  return new Map(previous ?? []).set(value.slice(0, eq), { host: value.slice(eq + 1, colon), port });
}

/** `--realm-instance 127.0.0.1:8892`, repeatable: another instance of the realm's server. */
export function collectEndpoint(
  value: string,
  previous: ReadonlyArray<{ host: string; port: number }> | undefined,
): Array<{ host: string; port: number }> {
  const colon = value.lastIndexOf(":");
  const port = Number(value.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new InvalidArgumentError("expected host:port");
  return [...(previous ?? []), { host: value.slice(0, colon), port }];
}
