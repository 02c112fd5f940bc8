import type { ErrorCode } from "@realmchat/protocol";
import type { Realm } from "../realm.ts";

export type GroupTarget =
  | { readonly kind: "here"; readonly name: string }
  | { readonly kind: "remote"; readonly name: string; readonly home: string }
  | { readonly kind: "error"; readonly code: ErrorCode; readonly message: string };

/**
 * Which group a user means (docs/protocol.md, "Addresses"): the local one first, then the one
 * peer realm that has it; a name found nowhere is created here. Records the membership of a local
 * group; the caller then joins the live fan-out.
 */
export async function resolveGroupToJoin(realm: Realm, username: string, name: string, realmHint: string | undefined): Promise<GroupTarget> {
  const { store, federation, logger } = realm;
  const here = realmHint === undefined || realmHint === realm.name;
  if (here && (realmHint === realm.name || (await store.groups.get(name)) !== undefined)) {
    await store.groups.ensure(name, username);
    await store.groups.addMember(name, username);
    return { kind: "here", name };
  }
  const homes = federation.directory.groupHomes(name).filter((h) => realmHint === undefined || h === realmHint);
  if (homes.length > 1) {
    return { kind: "error", code: "AMBIGUOUS_GROUP", message: `group '${name}' exists on several realms: use one of ${homes.map((h) => `${name}@${h}`).join(", ")}` };
  }
  const home = homes[0];
  if (home === undefined) {
    if (realmHint !== undefined) return { kind: "error", code: "INVALID_ARGUMENT", message: `no group '${name}' on realm '${realmHint}'` };
    const { created } = await store.groups.ensure(name, username);
    await store.groups.addMember(name, username);
    if (created) {
      logger.info("group created", { group: name, by: username });
      void federation.publishDirectory();
    }
    return { kind: "here", name };
  }
  if (!federation.isPeerUp(home)) return { kind: "error", code: "REALM_UNREACHABLE", message: `group '${name}' lives on ${home}, which cannot be reached now` };
  return { kind: "remote", name, home };
}
