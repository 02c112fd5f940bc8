import type { ReadMarkerService } from "../../../services/read-marker-service.ts";
import type { SessionService } from "../../../services/session-service.ts";
import { requireUser, type LiveClient, type OpRequest, type OpResult } from "./live-op.ts";

/** Every conversation the user has read, and up to when. */
export async function opMarkers(
  sessions: SessionService,
  markers: ReadMarkerService,
  client: LiveClient,
  _req: OpRequest<"markers">,
): OpResult<"markers"> {
  const user = await requireUser(sessions, client);
  return { markers: await markers.list(user.username) };
}
