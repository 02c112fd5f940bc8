/** The `q` quantile (0..1) of latencies already sorted ascending; 0 for none. */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** The `q` quantile (0..1) of some latencies in ms; 0 for none. */
export function quantile(values: readonly number[], q: number): number {
  return sortedQuantile(
    [...values].sort((a, b) => a - b),
    q,
  );
}
