import type { Logger } from "@realmchat/node-runtime";
import { burnPasswordCheck, verifyPassword } from "../password-hash.ts";
import { RequestError } from "../request-error.ts";
import type { Session, SessionStore, UserRecord, UserStore } from "../store/realm-store.ts";

export interface SessionServiceOptions {
  readonly users: Pick<UserStore, "get">;
  readonly sessions: SessionStore;
  readonly logger: Logger;
}

/** Logging in and out, and the session check every request after login starts with. */
export class SessionService {
  readonly #options: SessionServiceOptions;

  constructor(options: SessionServiceOptions) {
    this.#options = options;
  }

  /** Checks a password and opens a session; an unknown user and a wrong password fail alike. */
  async authenticate(user: string, password: string, peer: string): Promise<Session> {
    const { users, sessions, logger } = this.#options;
    const record = await users.get(user);
    const valid = record === undefined ? await burnPasswordCheck(password) : await verifyPassword(password, record.passwordHash);
    if (record === undefined || !valid) {
      logger.info("auth failed", { user, peer });
      throw new RequestError("AUTH_FAILED");
    }
    return sessions.create(record.username);
  }

  /** The session behind `token`, its idle clock reset; SESSION_NOT_FOUND (with `message`) if there is none. */
  async requireSession(token: string, message?: string): Promise<Session> {
    const session = await this.#options.sessions.touch(token);
    if (session === undefined) throw new RequestError("SESSION_NOT_FOUND", message);
    return session;
  }

  /** The user logged in with `token`; SESSION_NOT_FOUND (with `message`) if there is none. */
  async requireUser(token: string, message?: string): Promise<UserRecord> {
    const session = await this.#options.sessions.touch(token);
    const user = session === undefined ? undefined : await this.#options.users.get(session.username);
    if (user === undefined) throw new RequestError("SESSION_NOT_FOUND", message);
    return user;
  }

  async logout(token: string): Promise<void> {
    if (!(await this.#options.sessions.revoke(token))) throw new RequestError("SESSION_NOT_FOUND");
  }
}
