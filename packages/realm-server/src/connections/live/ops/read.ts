import type { ReadMarkerService } from "../../../services/read-marker-service.ts";
import type { UserRecord } from "../../../store/realm-store.ts";
import type { OpRequest, OpResult } from "./live-op.ts";

/** Marks a conversation read up to `ts`; the user's other connections hear it as a `read` event. */
export async function opRead(markers: ReadMarkerService, req: OpRequest<"read">, user: UserRecord): OpResult<"read"> {
  return markers.read(user.username, req.conversation, req.ts);
}
