import type { GroupService } from "./group-service.ts";
import type { InboxService } from "./inbox-service.ts";
import type { PrivateMessaging } from "./private-messaging.ts";
import type { ReadMarkerService } from "./read-marker-service.ts";
import type { SessionService } from "./session-service.ts";

/**
 * The realm's protocol-neutral services. Classic commands and live ops are translators between
 * their wire format and these; each handler is given only the services it uses.
 */
export interface RealmServices {
  readonly realm: string;
  readonly sessions: SessionService;
  readonly messaging: PrivateMessaging;
  readonly groups: GroupService;
  readonly inbox: InboxService;
  readonly markers: ReadMarkerService;
}
