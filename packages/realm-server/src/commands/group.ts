import { errorReply, type ClassicRequest, type ClassicReply } from "@realmchat/protocol";
import type { CommandContext, CommandResult } from "./command-context.ts";

/**
 * Classic group mode (docs/protocol.md, "Classic group mode", "Groups across realms"). A bare
 * name means the local group first, then the one peer realm that has it; a name found nowhere
 * creates the group here. On success there is no JSON reply, only the pushed `joined` line.
 */
export async function handleGroup(ctx: CommandContext, request: Extract<ClassicRequest, { kind: "group" }>): CommandResult {
  const { store, logger, federation, name: realmName } = ctx.realm;
  const session = await store.sessions.touch(request.token);
  if (session === undefined) return errorReply("SESSION_NOT_FOUND");
  const name = request.group;
  const here = request.realm === undefined || request.realm === realmName;
  if (here && (request.realm === realmName || (await store.groups.get(name)) !== undefined)) {
    await store.groups.ensure(name, session.username);
    await store.groups.addMember(name, session.username);
    ctx.connection.enterGroup(name, session.username);
    return undefined;
  }
  const homes = request.realm === undefined ? federation.directory.groupHomes(name) : federation.directory.groupHomes(name).filter((h) => h === request.realm);
  if (homes.length > 1) {
    return errorReply("AMBIGUOUS_GROUP", `group '${name}' exists on several realms: use one of ${homes.map((h) => `${name}@${h}`).join(", ")}`);
  }
  const home = homes[0];
  if (home === undefined) {
    if (request.realm !== undefined) return errorReply("INVALID_ARGUMENT", `no group '${name}' on realm '${request.realm}'`);
    return createHere(ctx, name, session.username);
  }
  if (!federation.isPeerUp(home)) return errorReply("REALM_UNREACHABLE", `group '${name}' lives on ${home}, which cannot be reached now`);
  ctx.connection.enterGroup(name, session.username, home);
  logger.info("joined a group on another realm", { group: name, home, user: session.username });
  return undefined;
}

async function createHere(ctx: CommandContext, name: string, username: string): Promise<ClassicReply | undefined> {
  const { created } = await ctx.realm.store.groups.ensure(name, username);
  await ctx.realm.store.groups.addMember(name, username);
  if (created) {
    ctx.realm.logger.info("group created", { group: name, by: username });
    void ctx.realm.federation.publishDirectory();
  }
  ctx.connection.enterGroup(name, username);
  return undefined;
}
