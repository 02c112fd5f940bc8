// The tap's records and what a viewer reads from them, for a browser: nothing from node:.
export { TAP_LINKS, MASK, tapEventsOf, type TapEvent, type TapRecord, type TapLink, type TapDirection } from "./tap-event.ts";
export { maskSecrets, WITHHELD } from "./mask-secrets.ts";
export { encodeTapRecord, encodeTapRoute, decodeTapMessage, type TapMessage, type TapRoute, type TapWireError } from "./tap-wire.ts";
export { writeTapHeader, encodeTapHeader, TAP_HEADER_BYTES_BESIDES_ROUTE, type TapLengthField } from "./tap-header.ts";
export { describeTapFrame, TAP_CATEGORIES, type TapCategory, type TapFrameDescription } from "./describe-tap-frame.ts";
