import type { ReadMarkerService } from "../../../services/read-marker-service.ts";
import type { UserRecord } from "../../../store/realm-store.ts";
import type { OpRequest, OpResult } from "./live-op.ts";

/** Every conversation the user has read, and up to when. */
export async function opMarkers(markers: ReadMarkerService, _req: OpRequest<"markers">, user: UserRecord): OpResult<"markers"> {
  return { markers: await markers.list(user.username) };
}
