/**
 * User, realm and group names: 1–64 characters of letters, digits, `_`, `-` and `.`. Names
 * travel as single words in the classic protocol and `@` separates user from realm, so neither
 * spaces nor `@` may appear in one.
 */
export const MAX_NAME_LENGTH = 64;

export function isValidName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) || // 0-9
      (c >= 0x41 && c <= 0x5a) || // A-Z
      (c >= 0x61 && c <= 0x7a) || // a-z
      c === 0x5f ||
      c === 0x2d ||
      c === 0x2e; // _ - .
    if (!ok) return false;
  }
  return true;
}

/** A recipient as written by a user: `name` (resolved by the realm) or `name@realm`. */
export type Address = { readonly user: string; readonly realm: string | undefined };

export function parseAddress(text: string): Address | undefined {
  const at = text.indexOf("@");
  if (at === -1) return isValidName(text) ? { user: text, realm: undefined } : undefined;
  const user = text.slice(0, at);
  const realm = text.slice(at + 1);
  return isValidName(user) && isValidName(realm) ? { user, realm } : undefined;
}

export function formatAddress(user: string, realm: string): string {
  return user + "@" + realm;
}

/** A group as the federation knows it: its name and the realm it lives on (its home). */
export interface GroupRef {
  readonly name: string;
  readonly home: string;
}

/** `name@home`: how a group is written when its home matters (and a map key for it). */
export function formatGroupRef(group: GroupRef): string {
  return formatAddress(group.name, group.home);
}

/** How a user or group is shown to the users of `viewer`: bare if local, `name@realm` otherwise. */
export function labelFor(name: string, realm: string, viewer: string): string {
  return realm === viewer ? name : formatAddress(name, realm);
}
