export { ClassicClient, type GroupLineHandler } from "./classic-client.ts";
export { ServerErrorReply, ConnectionClosedError, InvalidServerAddressError, ClientStateError } from "./errors.ts";
export { parseServerAddress, formatServerAddress, type ServerAddress } from "./server-address.ts";
export { formatInbox, formatInboxEntry, styleFor, type Style } from "./format.ts";
export { runInteractive, type InteractiveOptions } from "./interactive-session.ts";
export { sendOnce, inboxOnce, loginOnce, type Credentials } from "./one-shot.ts";
export { LiveClient, type LiveEventHandler, type JoinResult } from "./live-client.ts";
export { LiveChatSession, type LiveChatOptions } from "./live-chat-session.ts";
export { formatLiveEvent, formatLiveMessage } from "./live-event-format.ts";
