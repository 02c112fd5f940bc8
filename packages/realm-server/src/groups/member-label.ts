import { parseAddress, type RosterMember } from "@realmchat/protocol";

/**
 * A group member as the store of the group's home keeps it: `user` for the home's own users,
 * `user@realm` for others (the same labels the home's users see).
 */
export function memberOfLabel(label: string, home: string): RosterMember {
  const address = parseAddress(label);
  return address === undefined ? { user: label, realm: home } : { user: address.user, realm: address.realm ?? home };
}
