import type { ClassicReply, GroupRef } from "@realmchat/protocol";

/** The classic connection as its commands see it. */
export interface ClassicClient {
  readonly peer: string;
  enterGroup(group: GroupRef, username: string): void;
}

/** A handler answers with a reply, or with `undefined` when it switched the connection's mode. */
export type CommandResult = Promise<ClassicReply | undefined>;
