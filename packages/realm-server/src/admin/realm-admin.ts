import { isValidName } from "@realmchat/protocol";
import { parsePasswordHash } from "../password-hash.ts";
import type { Realm } from "../realm.ts";
import type { RealmStore } from "../store/realm-store.ts";
import type { AdminGroup, AdminReply, AdminRequest, RealmStatus } from "./admin-protocol.ts";

/**
 * What an operator can do to a running realm (in the spirit of prosodyctl): users are managed in
 * its store and take effect at once (a new user can log in, a deleted one's sessions end), and
 * the realm tells its peers through a new directory.
 */
export class RealmAdmin {
  readonly #store: RealmStore;
  /** The running realm; without one (the realm is stopped) only its store is managed. */
  readonly #realm: Realm | undefined;
  readonly #started = Date.now();

  constructor(store: RealmStore, realm?: Realm) {
    this.#store = store;
    this.#realm = realm;
  }

  #changed(what: string, fields: Readonly<Record<string, string | number>>): void {
    this.#realm?.logger.info(what, fields);
    this.#realm?.federation.announceDirectory();
  }

  async serve(request: AdminRequest): Promise<AdminReply> {
    switch (request.op) {
      case "status": {
        const status = await this.status();
        return status === undefined ? { ok: false, message: "the realm is not running" } : { ok: true, status };
      }
      case "user-list":
        return {
          ok: true,
          users: (await this.#store.users.list())
            .map((u) => ({ user: u.username, name: u.displayName }))
            .sort((a, b) => (a.user < b.user ? -1 : 1)),
        };
      case "group-list":
        return { ok: true, groups: await this.#groups() };
      case "user-add":
        return this.#addUser(request.user, request.name, request.passwordHash);
      case "user-del":
        return this.#deleteUser(request.user);
      case "user-passwd":
        return this.#setPassword(request.user, request.passwordHash);
    }
  }

  async status(): Promise<RealmStatus | undefined> {
    const realm = this.#realm;
    if (realm === undefined) return undefined;
    const online = realm.onlineUsers();
    const groups = await this.#store.groups.list();
    return {
      realm: realm.name,
      uptimeSeconds: Math.round((Date.now() - this.#started) / 1000),
      connections: realm.connectionCount,
      online,
      users: (await this.#store.users.list()).length,
      groups: groups.map((g) => ({ name: g.name, online: realm.groupsOnline(g.name) })).sort((a, b) => (a.name < b.name ? -1 : 1)),
      bridgeLinked: realm.federation.linked,
      peersUp: realm.federation.peersUp(),
      outbox: realm.federation.outbound.size,
    };
  }

  async #groups(): Promise<AdminGroup[]> {
    const realm = this.#realm;
    const groups = [...(await this.#store.groups.list())].sort((a, b) => (a.name < b.name ? -1 : 1));
    return Promise.all(
      groups.map(async (g) => ({
        name: g.name,
        createdBy: g.createdBy,
        createdAt: g.createdAt,
        members: [...(await this.#store.groups.members(g.name))].sort(),
        ...(realm === undefined ? {} : { online: realm.groupsOnline(g.name) }),
      })),
    );
  }

  async #addUser(user: string, name: string, passwordHash: string): Promise<AdminReply> {
    if (!isValidName(user)) return { ok: false, message: `'${user}' is not a valid user name (letters, digits, _ - .)` };
    if (!hashOk(passwordHash)) return { ok: false, message: "not a password hash" };
    if ((await this.#store.users.get(user)) !== undefined)
      return { ok: false, message: `user '${user}' exists (change its password with \`user passwd\`)` };
    await this.#store.users.put({ username: user, displayName: name, passwordHash });
    this.#changed("user added", { user });
    return { ok: true, message: `added user ${user}` };
  }

  async #deleteUser(user: string): Promise<AdminReply> {
    if ((await this.#store.users.get(user)) === undefined) return { ok: false, message: `no user '${user}'` };
    // Counted before the user goes: removing a user removes its sessions with it.
    const sessions = await this.#store.sessions.revokeUser(user);
    await this.#store.users.remove(user);
    this.#changed("user deleted", { user, sessions });
    return { ok: true, message: `deleted user ${user}${sessions > 0 ? ` and ended ${sessions} session${sessions === 1 ? "" : "s"}` : ""}` };
  }

  async #setPassword(user: string, passwordHash: string): Promise<AdminReply> {
    if (!hashOk(passwordHash)) return { ok: false, message: "not a password hash" };
    const record = await this.#store.users.get(user);
    if (record === undefined) return { ok: false, message: `no user '${user}'` };
    await this.#store.users.put({ ...record, passwordHash });
    this.#realm?.logger.info("password changed", { user });
    return { ok: true, message: `changed the password of ${user}` };
  }
}

function hashOk(hash: string): boolean {
  try {
    parsePasswordHash(hash);
    return true;
  } catch {
    return false;
  }
}
