/**
 * Which of several groups of one name is *the* group (docs/design/federation.md, "One group per
 * name"). Every realm applies this same rule to the claims it knows of, so all of them converge
 * on one home whatever order the claims arrive in: the earliest creation wins, and equal times
 * go to the realm whose name sorts first (as IRC servers merge channels by timestamp).
 */
export interface GroupClaim {
  readonly home: string;
  /** When `home` created its group of the name, in milliseconds since the epoch. */
  readonly created: number;
}

/** True when `a` wins over `b`. */
export function precedes(a: GroupClaim, b: GroupClaim): boolean {
  return a.created < b.created || (a.created === b.created && a.home < b.home);
}

/** The winning claim among `claims`, if there is any. */
export function earliestClaim(claims: Iterable<GroupClaim>): GroupClaim | undefined {
  let best: GroupClaim | undefined;
  for (const claim of claims) if (best === undefined || precedes(claim, best)) best = claim;
  return best;
}
