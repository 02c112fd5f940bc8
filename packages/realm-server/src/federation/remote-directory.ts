import { formatAddress, type DirectoryGroup, type DirectoryUser, type GroupClaim } from "@realmchat/protocol";

interface RealmEntry {
  readonly users: ReadonlyMap<string, string>;
  /** Group name → when its realm created it. */
  readonly groups: ReadonlyMap<string, number>;
}

/** Where a user name points, seen from this realm (docs/protocol.md, "Addresses"). */
export type Resolution =
  | { readonly kind: "local"; readonly user: string }
  | { readonly kind: "remote"; readonly realm: string; readonly user: string; readonly name: string }
  | { readonly kind: "ambiguous"; readonly candidates: readonly string[] }
  | { readonly kind: "unknown-realm"; readonly realm: string }
  | { readonly kind: "none" };

/**
 * The users and groups of the other realms, as their bridges last reported them. Kept while a
 * realm is unreachable, so its addresses still resolve.
 */
export class RemoteDirectory {
  readonly #realms = new Map<string, RealmEntry>();

  set(realm: string, users: readonly DirectoryUser[], groups: readonly DirectoryGroup[]): void {
    this.#realms.set(realm, {
      users: new Map(users.map((u) => [u.user, u.name])),
      groups: new Map(groups.map((g) => [g.name, g.created])),
    });
  }

  realms(): string[] {
    return [...this.#realms.keys()];
  }

  /**
   * Resolves a recipient. `isLocal` says whether a local user has the name; a bare name means
   * the local user first, then the one peer realm that has it.
   */
  resolveUser(user: string, realm: string | undefined, isLocal: boolean, localRealm: string): Resolution {
    if (realm === localRealm || (realm === undefined && isLocal)) return isLocal ? { kind: "local", user } : { kind: "none" };
    if (realm !== undefined) {
      const entry = this.#realms.get(realm);
      if (entry === undefined) return { kind: "unknown-realm", realm };
      const name = entry.users.get(user);
      return name === undefined ? { kind: "none" } : { kind: "remote", realm, user, name };
    }
    const found: Array<{ realm: string; name: string }> = [];
    for (const [name, entry] of this.#realms) {
      const display = entry.users.get(user);
      if (display !== undefined) found.push({ realm: name, name: display });
    }
    if (found.length === 0) return { kind: "none" };
    if (found.length > 1) return { kind: "ambiguous", candidates: found.map((f) => formatAddress(user, f.realm)).sort() };
    const only = found[0] as { realm: string; name: string };
    return { kind: "remote", realm: only.realm, user, name: only.name };
  }

  groupsOf(realm: string): string[] {
    return [...(this.#realms.get(realm)?.groups.keys() ?? [])].sort();
  }

  /** Every other realm's group of this name, as a claim to the name (group-precedence.ts). */
  claims(group: string): GroupClaim[] {
    const claims: GroupClaim[] = [];
    for (const [home, entry] of this.#realms) {
      const created = entry.groups.get(group);
      if (created !== undefined) claims.push({ home, created });
    }
    return claims;
  }

  /** `home`'s group of this name, if its directory lists one. */
  claim(group: string, home: string): GroupClaim | undefined {
    const created = this.#realms.get(home)?.groups.get(group);
    return created === undefined ? undefined : { home, created };
  }
}
