import { ConfigFileError } from "@realmchat/node-runtime";

/** A realm config file that cannot be read or does not validate. */
export class RealmConfigError extends ConfigFileError {
  override readonly name = "RealmConfigError";
}

/** A stored password hash that is not in the `scrypt$N$r$p$salt$key` form. */
export class InvalidPasswordHashError extends Error {
  override readonly name = "InvalidPasswordHashError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(`invalid password hash: ${message}`, options);
  }
}

/** A user name that breaks the naming rules of docs/protocol.md. */
export class InvalidUserError extends Error {
  override readonly name = "InvalidUserError";
  readonly username: string;
  constructor(username: string, message: string) {
    super(`user '${username}': ${message}`);
    this.username = username;
  }
}
