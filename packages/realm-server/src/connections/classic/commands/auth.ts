import type { ClassicRequest } from "@realmchat/protocol";
import type { SessionService } from "../../../services/session-service.ts";
import type { CommandResult } from "../classic-command.ts";

export async function handleAuth(
  sessions: SessionService,
  peer: string,
  request: Extract<ClassicRequest, { kind: "auth" }>,
): CommandResult {
  const session = await sessions.authenticate(request.user, request.password, peer);
  return { reply: { kind: "auth-ok", token: session.token } };
}
