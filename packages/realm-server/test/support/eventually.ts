/**
 * Runs `check` until it passes (returns without throwing), every few milliseconds, and returns
 * what it returned; after `withinMs` its last failure is thrown. Tests wait for a condition this
 * way, never for a fixed time, so a busy machine only makes them slower.
 */
export async function eventually<T>(check: () => Promise<T> | T, withinMs = 10_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}
