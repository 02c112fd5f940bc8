import type { ClassicRequest } from "@realmchat/protocol";
import type { SessionService } from "../../../services/session-service.ts";
import type { CommandResult } from "../classic-command.ts";

export async function handleLogout(sessions: SessionService, request: Extract<ClassicRequest, { kind: "logout" }>): CommandResult {
  await sessions.logout(request.token);
  return { reply: { kind: "logged-out" } };
}
