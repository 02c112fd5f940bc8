import { isValidName } from "@realmchat/protocol";
import { InvalidUserError, RealmConfigError } from "./errors.ts";
import { hashPassword } from "./password-hash.ts";
import { loadRealmConfig, saveRealmConfig, type RealmConfig } from "./realm-config.ts";

export interface NewUser {
  readonly username: string;
  readonly displayName: string | undefined;
  readonly password: string;
}

/** Adds a user to a realm config file, or replaces the password and name of an existing one. */
export async function addUserToConfig(path: string, user: NewUser): Promise<{ readonly replaced: boolean }> {
  if (!isValidName(user.username)) throw new InvalidUserError(user.username, "names are 1-64 of letters, digits, _ - .");
  if (user.password.length === 0 || user.password.includes(" ")) {
    throw new InvalidUserError(user.username, "a password must be non-empty and have no spaces (it is one word on the wire)");
  }
  const config: RealmConfig = await loadRealmConfig(path);
  const record = {
    username: user.username,
    displayName: user.displayName ?? user.username,
    passwordHash: await hashPassword(user.password),
  };
  const replaced = config.users.some((u) => u.username === user.username);
  const users = replaced ? config.users.map((u) => (u.username === user.username ? record : u)) : [...config.users, record];
  await saveRealmConfig(path, { ...config, users });
  return { replaced };
}

/** Creates a config file for a new, empty realm. */
export async function createRealmConfig(path: string, realm: string): Promise<void> {
  if (!isValidName(realm)) throw new RealmConfigError(path, `'${realm}' is not a valid realm name`);
  await saveRealmConfig(path, { realm, host: undefined, port: undefined, users: [] });
}
