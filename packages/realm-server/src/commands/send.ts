import { errorReply, type ClassicRequest } from "@realmchat/protocol";
import { v4 as uuidv4 } from "uuid";
import { RemoteRejectedError } from "../federation/federation-errors.ts";
import type { CommandContext, CommandResult } from "./command-context.ts";

export async function handleSend(ctx: CommandContext, request: Extract<ClassicRequest, { kind: "send" }>): CommandResult {
  const { store, name: realmName, federation } = ctx.realm;
  const session = await store.sessions.touch(request.token);
  if (session === undefined) return errorReply("SESSION_NOT_FOUND");
  const local = request.to.realm === undefined || request.to.realm === realmName;
  const [sender, localRecipient] = await Promise.all([
    store.users.get(session.username),
    local ? store.users.get(request.to.user) : Promise.resolve(undefined),
  ]);
  if (sender === undefined) return errorReply("SESSION_NOT_FOUND");
  const target = federation.directory.resolveUser(request.to.user, request.to.realm, localRecipient !== undefined, realmName);
  const id = uuidv4();
  const sentAt = Date.now();
  switch (target.kind) {
    case "local": {
      const recipient = localRecipient as NonNullable<typeof localRecipient>;
      await store.inboxes.append({
        id,
        from: sender.username,
        fromName: sender.displayName,
        to: recipient.username,
        toName: recipient.displayName,
        text: request.text,
        sentAt,
      });
      return { kind: "sent", id, queued: false };
    }
    case "remote":
      try {
        const { queued } = await federation.sendPrivate({
          id,
          from: sender.username,
          fromName: sender.displayName,
          to: target.realm,
          user: target.user,
          text: request.text,
          sentAt,
        });
        return { kind: "sent", id, queued };
      } catch (err) {
        if (err instanceof RemoteRejectedError) return errorReply(err.code, err.message);
        throw err;
      }
    case "ambiguous":
      return errorReply("AMBIGUOUS_USER", `user name '${request.to.user}' is ambiguous: use one of ${target.candidates.join(", ")}`);
    case "unknown-realm":
      return errorReply("USER_NOT_FOUND", `user '${request.to.user}@${target.realm}' not found: unknown realm`);
    case "none": {
      const where = request.to.realm === undefined ? request.to.user : `${request.to.user}@${request.to.realm}`;
      return errorReply("USER_NOT_FOUND", `user '${where}' not found`);
    }
  }
}
