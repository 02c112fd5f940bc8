/** How deep a chain of causes is followed before the rest is left out. */
const MAX_CAUSES = 4;

function describeOne(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const own = err.stack ?? `${err.name}: ${err.message}`;
  if (!(err instanceof AggregateError)) return own;
  return [own, ...err.errors.map((inner, i) => `[${i}] ${describeOne(inner)}`)].join("\n");
}

/**
 * The one way a failure becomes text for a log line: its stack (or its value, for a thrown
 * non-Error), then each `cause` in turn. The logger escapes it onto a single line.
 */
export function describeError(err: unknown): string {
  let text = describeOne(err);
  let cause = err instanceof Error ? err.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < MAX_CAUSES; depth++) {
    text += `\ncaused by: ${describeOne(cause)}`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return text;
}
