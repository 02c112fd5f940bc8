import type { Logger } from "@realmchat/node-runtime";
import { isRoutedFrame, type FederationFrame } from "@realmchat/protocol";

/**
 * The trust rules for a frame from an authenticated peer (docs/protocol.md, "Trust and delivery
 * rules"): it must come from that peer's own realm, be meant for ours, and not be an echo of our
 * own. Returns whether the frame may be handled; a refused one is logged.
 */
export function acceptableFromPeer(self: string, peer: string, frame: FederationFrame, logger: Logger): boolean {
  if ((frame.t === "directory" || frame.t === "peer") && frame.realm !== peer) {
    logger.warn("forged directory dropped", { from: peer, claimed: frame.realm });
    return false;
  }
  if (!isRoutedFrame(frame) && frame.t !== "batch") return true;
  if (frame.origin === self) {
    logger.warn("echo of our own frame dropped", { from: peer, t: frame.t });
    return false;
  }
  if (frame.origin !== peer) {
    logger.warn("forged origin dropped", { from: peer, claimed: frame.origin, t: frame.t });
    return false;
  }
  if (frame.to !== self) {
    logger.warn("frame for another realm dropped", { from: peer, to: frame.to, t: frame.t });
    return false;
  }
  return true;
}
