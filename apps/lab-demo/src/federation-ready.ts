import type { Topology } from "./topology.ts";

/**
 * Right after start-up, realms are still exchanging directories: sends `warm-up` from `from` to
 * `to` until the address resolves and the message is accepted.
 */
export async function untilFederated(
  topology: Topology,
  from: { readonly realm: string; readonly user: string; readonly password: string },
  to: string,
  withinMs = 10_000,
): Promise<void> {
  const client = await topology.connect(from.realm, from.user, from.password);
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      await client.send(to, "warm-up");
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
