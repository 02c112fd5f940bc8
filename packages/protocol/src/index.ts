export { ERROR_CODES, isErrorCode, type ErrorCode } from "./error-codes.ts";
export {
  ProtocolError,
  FrameTooLargeError,
  InvalidUtf8Error,
  MalformedRequestError,
  MalformedReplyError,
  type FrameError,
} from "./errors.ts";
export { encodeAsciiJson, encodeAsciiString, type JsonValue } from "./ascii-json.ts";
export { LineDecoder, DEFAULT_MAX_FRAME_BYTES, type LineSink, type LineDecoderOptions } from "./line-decoder.ts";
export {
  isValidName,
  parseAddress,
  formatAddress,
  formatGroupRef,
  labelFor,
  MAX_NAME_LENGTH,
  type Address,
  type GroupRef,
} from "./names.ts";
export {
  decodeClassicRequest,
  encodeClassicRequest,
  type ClassicRequest,
  type ClassicRequestKind,
  type DecodedRequest,
} from "./classic/requests.ts";
export {
  encodeClassicReply,
  decodeClassicReply,
  inboxEntriesOf,
  inboxHasMore,
  errorReply,
  REPLY_TERMINATOR,
  type ClassicReply,
  type InboxEntry,
  type ParsedReply,
} from "./classic/replies.ts";
export { ReplyDecoder, type ReplySink } from "./classic/reply-decoder.ts";
export { encodeGroupEvent, GROUP_EXIT_COMMAND, GROUP_EXIT_MARKER, type GroupEvent } from "./classic/group-lines.ts";
export { MalformedFrameError, HandshakeError } from "./errors.ts";
export {
  encodeFederationFrame,
  isRoutedFrame,
  isGroupFrame,
  GROUP_FRAME_TYPES,
  FEDERATION_VERSION,
  type FederationFrame,
  type FederationFrameType,
  type FrameOf,
  type RoutedFrame,
  type DirectoryUser,
  type DirectoryGroup,
  type GroupEventKind,
  GROUP_EVENT_KINDS,
  type GroupFrameType,
} from "./federation/frames.ts";
export { precedes, earliestClaim, type GroupClaim } from "./federation/group-precedence.ts";
export { decodeFederationFrame, type DecodedFrame } from "./federation/decode.ts";
export { HandshakeDialer, HandshakeAcceptor, type HandshakeStep } from "./federation/handshake.ts";
export { DeliveryQueue, type QueueEntry } from "./federation/delivery-queue.ts";
export { DedupWindow } from "./federation/dedup-window.ts";
export { MAX_BATCH_ITEMS, type BatchItem, type AckResult, type RosterMember, type RosterEvent } from "./federation/frames.ts";
// The live protocol, as a browser takes it too (./live).
export * from "./live/index.ts";
export { decodeLiveRequest, type DecodedLiveRequest } from "./live/decode-live.ts";
// The tap (./tap).
export * from "./tap/index.ts";
