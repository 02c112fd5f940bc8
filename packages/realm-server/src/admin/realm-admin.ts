import { hasLineBreaker } from "@realmchat/node-runtime";
import { isValidName } from "@realmchat/protocol";
import { parsePasswordHash } from "../password-hash.ts";
import type { Realm } from "../realm.ts";
import type { RealmStore } from "../store/realm-store.ts";
import {
  MAX_NOTICE_CHARS,
  type AdminGroup,
  type AdminReply,
  type AdminRequest,
  type ExportedUser,
  type RealmStatus,
} from "./admin-protocol.ts";

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
        return status === undefined ? NOT_RUNNING : { ok: true, status };
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
      case "session-list":
        return this.#realm === undefined ? NOT_RUNNING : { ok: true, sessions: this.#realm.connections() };
      case "session-end":
        return this.#endSessions(request.user);
      case "group-remove":
        return this.#removeMember(request.group, request.member);
      case "notice":
        return this.#notice(request.text);
      case "user-export":
        return {
          ok: true,
          exported: [...(await this.#store.users.list())]
            .sort((a, b) => (a.username < b.username ? -1 : 1))
            .map((u) => ({ username: u.username, displayName: u.displayName, passwordHash: u.passwordHash })),
        };
      case "user-import":
        return this.#importUsers(request.users);
    }
  }

  /** Adds the users not here yet, each checked as `user add` checks one; those here already stay as they are. */
  async #importUsers(users: readonly ExportedUser[]): Promise<AdminReply> {
    const bad = users.find((u) => !isValidName(u.username) || !hashOk(u.passwordHash));
    if (bad !== undefined)
      return { ok: false, message: `'${bad.username}': not a valid user name or not a password hash; nothing imported` };
    let added = 0;
    for (const u of users) {
      if ((await this.#store.users.get(u.username)) !== undefined) continue;
      await this.#store.users.put(u);
      added++;
    }
    if (added > 0) this.#changed("users imported", { added });
    return { ok: true, message: `imported ${plural(added, "user")}; ${users.length - added} already here, left as they were` };
  }

  /** Ends every session of `user`: its tokens stop working and its connections close. */
  async #endSessions(user: string): Promise<AdminReply> {
    if ((await this.#store.users.get(user)) === undefined) return { ok: false, message: `no user '${user}'` };
    const sessions = await this.#store.sessions.revokeUser(user);
    const closed = this.#realm?.closeConnectionsOf(user, "the realm's operator ended your session") ?? 0;
    this.#realm?.logger.info("sessions ended by the operator", { user, sessions, connections: closed });
    return { ok: true, message: `ended ${plural(sessions, "session")} of ${user} and closed ${plural(closed, "connection")}` };
  }

  /** Takes `member` out of group `group` homed here: from its member list, and from the group's fan-out now. */
  async #removeMember(group: string, member: string): Promise<AdminReply> {
    const record = await this.#store.groups.get(group);
    if (record === undefined || record.mergedInto !== undefined) return { ok: false, message: `no group '${group}' homed on this realm` };
    if (!(await this.#store.groups.members(group)).includes(member))
      return { ok: false, message: `'${member}' is not a member of ${group}` };
    await this.#store.groups.removeMember(group, member);
    const connections = this.#realm?.removeFromGroup(group, member, "the realm's operator removed you from the group") ?? 0;
    this.#realm?.logger.info("member removed by the operator", { group, member, connections });
    return {
      ok: true,
      message: `removed ${member} from ${group}${connections === 0 ? "" : ` (out of it now on ${plural(connections, "connection")})`}`,
    };
  }

  #notice(text: string): AdminReply {
    const realm = this.#realm;
    if (realm === undefined) return NOT_RUNNING;
    if (text.length > MAX_NOTICE_CHARS) return { ok: false, message: `a notice is at most ${MAX_NOTICE_CHARS} characters` };
    if (hasLineBreaker(text)) return { ok: false, message: "a notice is one line: no line breaks or other control characters" };
    const told = realm.notifyAll(`notice from the operator: ${text}`);
    realm.logger.info("notice sent by the operator", { connections: told });
    return { ok: true, message: `shown on ${plural(told, "connection")} (classic clients see it only in a group)` };
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

const NOT_RUNNING: AdminReply = { ok: false, message: "the realm is not running" };

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? "" : "s"}`;

function hashOk(hash: string): boolean {
  try {
    parsePasswordHash(hash);
    return true;
  } catch {
    return false;
  }
}
