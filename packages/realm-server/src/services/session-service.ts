import type { Logger } from "@realmchat/node-runtime";
import { burnPasswordCheck, verifyPassword } from "../password-hash.ts";
import { RequestError } from "../request-error.ts";
import type { Awaitable, Session, SessionStore, UserRecord, UserStore } from "../store/realm-store.ts";
import type { LoginThrottle } from "../throttle/login-throttle.ts";
import type { UserRateLimits } from "../throttle/user-rate-limits.ts";
import type { RealmMeter } from "../metrics/realm-meter.ts";

export interface SessionServiceOptions {
  readonly users: Pick<UserStore, "get">;
  readonly sessions: SessionStore;
  readonly logger: Logger;
  readonly logins: Pick<LoginThrottle, "admit" | "failed" | "succeeded">;
  readonly rates: Pick<UserRateLimits, "admitRequest">;
  readonly meter: Pick<RealmMeter, "logins" | "failedLogins">;
}

/** The address part of a peer label `host:port` (IPv6 hosts contain colons too). */
function addressOf(peer: string): string {
  const colon = peer.lastIndexOf(":");
  return colon === -1 ? peer : peer.slice(0, colon);
}

/** Logging in and out, and the session check every request after login starts with. */
export class SessionService {
  readonly #options: SessionServiceOptions;

  constructor(options: SessionServiceOptions) {
    this.#options = options;
  }

  /**
   * Checks a password and opens a session; an unknown user and a wrong password fail alike.
   * Repeated failures slow further attempts for the user and, past a point, refuse the address.
   */
  async authenticate(user: string, password: string, peer: string): Promise<Session> {
    const { users, sessions, logger, logins } = this.#options;
    const address = addressOf(peer);
    const verdict = await logins.admit(user, address);
    if (verdict.kind === "refused") {
      throw new RequestError("LOGIN_THROTTLED", `too many failed logins: try again in ${Math.ceil(verdict.retryAfterMs / 1000)} s`);
    }
    const record = await users.get(user);
    const valid = record === undefined ? await burnPasswordCheck(password) : await verifyPassword(password, record.passwordHash);
    if (record === undefined || !valid) {
      logins.failed(user, address);
      this.#options.meter.failedLogins++;
      logger.info("auth failed", { user, peer });
      throw new RequestError("AUTH_FAILED");
    }
    logins.succeeded(user);
    this.#options.meter.logins++;
    logger.info("logged in", { user: record.username, peer });
    return sessions.create(record.username);
  }

  /** The session behind `token`, its idle clock reset; SESSION_NOT_FOUND (with `message`) if there is none. */
  async requireSession(token: string, message?: string): Promise<Session> {
    const session = await this.#options.sessions.touch(token);
    if (session === undefined) throw new RequestError("SESSION_NOT_FOUND", message);
    await this.#options.rates.admitRequest(session.username);
    return session;
  }

  /**
   * The user logged in with `token`; SESSION_NOT_FOUND (with `message`) if there is none. Every
   * request asks this, so a store that has the answer in memory gives it at once: then it returns
   * (or throws) without a promise.
   */
  requireUser(token: string, message?: string): Awaitable<UserRecord> {
    const session = this.#options.sessions.touch(token);
    if (session instanceof Promise) return session.then((s) => this.#userOf(s, message));
    return this.#userOf(session, message);
  }

  #userOf(session: Session | undefined, message: string | undefined): Awaitable<UserRecord> {
    const user = session === undefined ? undefined : this.#options.users.get(session.username);
    if (user instanceof Promise) return user.then((u) => this.#admit(u, message));
    return this.#admit(user, message);
  }

  #admit(user: UserRecord | undefined, message: string | undefined): Awaitable<UserRecord> {
    if (user === undefined) throw new RequestError("SESSION_NOT_FOUND", message);
    const wait = this.#options.rates.admitRequest(user.username);
    return wait === undefined ? user : wait.then(() => user);
  }

  async logout(token: string): Promise<void> {
    const { sessions, logger } = this.#options;
    const session = await sessions.touch(token);
    if (session === undefined || !(await sessions.revoke(token))) throw new RequestError("SESSION_NOT_FOUND");
    logger.info("logged out", { user: session.username });
  }
}
