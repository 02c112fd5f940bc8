import { InvalidServerAddressError } from "./errors.ts";

export interface ServerAddress {
  readonly host: string;
  readonly port: number;
  /** Speak TLS; with `fingerprint`, trust only the certificate whose SHA-256 fingerprint it is. */
  readonly tls?: { readonly fingerprint?: string | undefined } | undefined;
}

export function parseServerAddress(input: string): ServerAddress {
  const colon = input.lastIndexOf(":");
  const host = colon === -1 ? input : input.slice(0, colon);
  const port = colon === -1 ? 8889 : Number(input.slice(colon + 1));
  if (host.length === 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new InvalidServerAddressError(input);
  return { host: host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host, port };
}

/** `host:port,host:port`: several servers of one realm, tried in turn. */
export function parseServerAddresses(input: string): ServerAddress[] {
  return input.split(",").map((part) => parseServerAddress(part.trim()));
}

export function formatServerAddress(address: ServerAddress): string {
  return address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
