// The live protocol alone, for a browser: nothing of the federation (whose handshake uses node:crypto).
export {
  LIVE_VERSION,
  encodeLiveFrame,
  type LiveRequest,
  type LiveOp,
  type LiveReply,
  type LiveOkReply,
  type LiveErrorReply,
  type LiveResults,
  type LiveResult,
  type LiveRequestFields,
  type LiveHistoryEntry,
  type LiveGroupInfo,
  type LiveEvent,
  type LiveMessage,
  type LiveReadMarker,
  type RequestId,
} from "./live-frames.ts";
export { isConversation } from "./decode-live.ts";
export { decodeLiveServerFrame, type DecodedServerFrame } from "./decode-live-server.ts";
