import type { LiveEvent } from "@realmchat/protocol";
import type { Caption, ScenarioContext } from "./scenario-context.ts";

/** Whether a live client was pushed an event of this kind (with this text, if given). */
export const pushed = (events: LiveEvent[], ev: LiveEvent["ev"], text?: string): boolean =>
  events.some((e) => e.ev === ev && (text === undefined || ("text" in e && e.text === text)));

/**
 * A private message from a classic client to a live one, in two steps: it is sent and pushed,
 * then the recipient's client acknowledges it (`captions`: one per step).
 */
export async function pushedAndAcknowledged(
  s: ScenarioContext,
  message: {
    readonly from: { readonly realm: string; readonly user: string; readonly password: string };
    readonly to: { readonly realm: string; readonly user: string; readonly password: string };
    readonly address: string;
    readonly text: string;
  },
  captions: readonly [Caption, Caption],
): Promise<void> {
  const recipient = await s.live(message.to.realm);
  await recipient.client.auth(message.to.user, message.to.password);
  const sender = await s.classic(message.from.realm);
  await sender.auth(message.from.user, message.from.password);
  await s.step(captions[0], async () => {
    await sender.send(message.address, message.text);
    await s.until(`${message.to.user} hears it`, () => pushed(recipient.events, "message", message.text));
  });
  await s.step(captions[1], async () => {
    const pushedMessage = recipient.events.find((e) => e.ev === "message");
    if (pushedMessage?.ev === "message") await recipient.client.ack(pushedMessage.msgId);
  });
}
