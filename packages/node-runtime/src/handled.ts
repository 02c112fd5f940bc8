declare const handledBrand: unique symbol;

/**
 * A promise whose failure has already been dealt with (answered or logged): it only ever
 * resolves, so a caller may await it for ordering or leave it. The lint lets such a promise
 * float (eslint.config.js); {@link handled} is the one way to make one.
 */
export type Handled<T = void> = Promise<T> & { readonly [handledBrand]: true };

/** `promise` with `onFailure` attached: the failure is handled here, once. */
export function handled<T>(promise: Promise<T>, onFailure: (err: unknown) => T): Handled<T> {
  return promise.catch(onFailure) as Handled<T>;
}

/** A settled {@link Handled}, for paths with nothing to wait for. */
export const HANDLED_DONE = Promise.resolve() as Handled;
