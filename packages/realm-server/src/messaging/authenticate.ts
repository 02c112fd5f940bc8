import { burnPasswordCheck, verifyPassword } from "../password-hash.ts";
import type { Realm } from "../realm.ts";
import type { Session } from "../store/realm-store.ts";

/** Checks a password and opens a session; undefined for an unknown user or a wrong password alike. */
export async function authenticate(realm: Realm, user: string, password: string, peer: string): Promise<Session | undefined> {
  const record = await realm.store.users.get(user);
  const valid = record === undefined ? await burnPasswordCheck(password) : await verifyPassword(password, record.passwordHash);
  if (record === undefined || !valid) {
    realm.logger.info("auth failed", { user, peer });
    return undefined;
  }
  return realm.store.sessions.create(record.username);
}
