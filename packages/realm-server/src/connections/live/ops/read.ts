import type { ReadMarkerService } from "../../../services/read-marker-service.ts";
import type { SessionService } from "../../../services/session-service.ts";
import { requireUser, type LiveClient, type OpRequest, type OpResult } from "./live-op.ts";

/** Marks a conversation read up to `ts`; the user's other connections hear it as a `read` event. */
export async function opRead(
  sessions: SessionService,
  markers: ReadMarkerService,
  client: LiveClient,
  req: OpRequest<"read">,
): OpResult<"read"> {
  const user = await requireUser(sessions, client);
  return markers.read(user.username, req.conversation, req.ts);
}
