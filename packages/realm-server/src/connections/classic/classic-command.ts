import type { ClassicReply, GroupRef } from "@realmchat/protocol";

/** The classic connection as its commands see it. */
export interface ClassicClient {
  readonly peer: string;
  enterGroup(group: GroupRef, username: string): void;
}

/** A reply, and what to do once it has been handed to the client's socket in full. */
export interface ClassicAnswer {
  readonly reply: ClassicReply;
  readonly afterWritten?: () => Promise<unknown>;
}

/** A handler answers, or returns `undefined` when it switched the connection's mode. */
export type CommandResult = Promise<ClassicAnswer | undefined>;
