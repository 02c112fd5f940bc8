/** The realms' rate and inbox limits are raised for a benchmark: it measures throughput, not the limits. */
export const BENCH_REALM_ARGS = [
  "--requests-per-second",
  "10000000",
  "--group-messages-per-second",
  "10000000",
  "--max-inbox",
  "100000000",
] as const;
