import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { hashPassword } from "@realmchat/realm-server";
import type { FederatedRealmSpec } from "./topology.ts";

export interface RealmUserSpec {
  readonly user: string;
  readonly password: string;
  readonly name?: string;
}

export interface RealmSpec {
  readonly name: string;
  readonly users: readonly RealmUserSpec[];
}

export interface ConfigWriterOptions {
  /** Give each realm a web listener (WebSocket `/live`) on a free port. */
  readonly web?: boolean;
  /** The secret two bridges share; by default one derived from both names, the same on both sides. */
  readonly peerSecret?: (self: string, peer: string) => string;
  /** The secret a bridge uses for its realm server; by default the same as the server's. */
  readonly bridgeRealmSecret?: (realm: string) => string;
  /** A certificate for a realm's bridge: peers then link in over TLS and pin `fingerprint`. */
  readonly bridgeTls?: (realm: string) => { readonly cert: string; readonly key: string; readonly fingerprint: string } | undefined;
  /** What a dialing bridge pins for a peer, if not that peer's own certificate (to test a wrong pin). */
  readonly pinFor?: (self: string, peer: string) => string | undefined;
  /** A certificate for a realm's federation port: its bridge then links in over TLS and pins `fingerprint`. */
  readonly realmLinkTls?: (realm: string) => { readonly cert: string; readonly key: string; readonly fingerprint: string } | undefined;
  /** What a bridge pins for its realm server, if not that server's own certificate (to test a wrong pin). */
  readonly realmPinFor?: (realm: string) => string | undefined;
  /** scrypt cost of the users' password hashes (a benchmark's thousands of logins); the realm's default otherwise. */
  readonly hashCost?: { readonly N: number; readonly r: number; readonly p: number };
}

/**
 * A secret for a test topology: random-looking (as the configs demand) yet the same for both
 * ends of a link, derived from what names the link. Real deployments use `realm-server secret`.
 */
export const testSecret = (...names: string[]): string => createHash("sha256").update(names.join("|")).digest("hex");
export const defaultRealmSecret = (realm: string): string => testSecret("realm federation", realm);
export const defaultPeerSecret = (a: string, b: string): string => testSecret("peering", ...[a, b].sort());

function tlsOf(options: ConfigWriterOptions, realm: string): { tls?: { cert: string; key: string } } {
  const tls = options.bridgeTls?.(realm);
  return tls === undefined ? {} : { tls: { cert: tls.cert, key: tls.key } };
}

function pinOf(options: ConfigWriterOptions, self: string, peer: string): { fingerprint?: string } {
  const fingerprint = options.pinFor?.(self, peer) ?? options.bridgeTls?.(peer)?.fingerprint;
  return fingerprint === undefined ? {} : { fingerprint };
}

function realmLinkOf(
  options: ConfigWriterOptions,
  realm: string,
): { server: { tls?: { cert: string; key: string } }; pin: { fingerprint?: string } } {
  const tls = options.realmLinkTls?.(realm);
  const fingerprint = options.realmPinFor?.(realm) ?? tls?.fingerprint;
  return {
    server: tls === undefined ? {} : { tls: { cert: tls.cert, key: tls.key } },
    pin: fingerprint === undefined ? {} : { fingerprint },
  };
}

/**
 * Writes realm and bridge configs for a full mesh of realms into `dir`, every port 0 (the
 * topology passes the real ones on the command line). Passwords are stored as scrypt hashes.
 */
export async function writeFederationConfigs(
  dir: string,
  realms: readonly RealmSpec[],
  options: ConfigWriterOptions = {},
): Promise<FederatedRealmSpec[]> {
  const hashes = new Map<string, Promise<string>>();
  const hash = (password: string): Promise<string> => {
    let h = hashes.get(password);
    if (h === undefined) {
      h = hashPassword(password, options.hashCost);
      hashes.set(password, h);
    }
    return h;
  };
  const specs: FederatedRealmSpec[] = [];
  for (const realm of realms) {
    const users = await Promise.all(
      realm.users.map(async (u) => ({ username: u.user, displayName: u.name ?? u.user, passwordHash: await hash(u.password) })),
    );
    const realmConfig = join(dir, `${realm.name}.json`);
    const bridgeConfig = join(dir, `bridge-${realm.name}.json`);
    const link = realmLinkOf(options, realm.name);
    await writeFile(
      realmConfig,
      JSON.stringify(
        {
          realm: realm.name,
          host: "127.0.0.1",
          port: 0,
          federation: { host: "127.0.0.1", port: 0, secret: defaultRealmSecret(realm.name), ...link.server },
          ...(options.web === true ? { web: { host: "127.0.0.1", port: 0 } } : {}),
          users,
        },
        null,
        2,
      ),
    );
    await writeFile(
      bridgeConfig,
      JSON.stringify(
        {
          realm: realm.name,
          listen: { host: "127.0.0.1", port: 0 },
          realmServer: {
            host: "127.0.0.1",
            port: 0,
            secret: (options.bridgeRealmSecret ?? defaultRealmSecret)(realm.name),
            ...link.pin,
          },
          ...tlsOf(options, realm.name),
          peers: realms
            .filter((p) => p.name !== realm.name)
            .map((p) => ({
              realm: p.name,
              secret: (options.peerSecret ?? defaultPeerSecret)(realm.name, p.name),
              ...pinOf(options, realm.name, p.name),
              // The real address is given with --peer once the peer's bridge has a port.
              ...(realm.name < p.name ? { host: "127.0.0.1", port: 1 } : {}),
            })),
        },
        null,
        2,
      ),
    );
    specs.push({ name: realm.name, realmConfig, bridgeConfig });
  }
  return specs;
}
