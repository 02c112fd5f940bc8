/**
 * What a realm has done since it started, kept as plain counts (an addition each, whether or not
 * anything reads them); the metrics listener, when there is one, reads them at each scrape
 * (docs/operating.md, "Metrics and health").
 */
export class RealmMeter {
  logins = 0;
  failedLogins = 0;
  /** Private messages sent by this realm's clients, to anyone. */
  privateFromClients = 0;
  /** Lines said in groups by this realm's clients. */
  groupFromClients = 0;
  /** Private messages handed to the bridge for another realm. */
  privateToRealms = 0;
  /** Private messages that arrived from other realms for users here. */
  privateFromRealms = 0;
  /** Lines said by this realm's clients in groups homed on other realms, handed to the bridge. */
  groupToRealms = 0;
  /** Lines from other realms' members fanned out in groups homed here. */
  groupFromRealms = 0;
  /** Client connections refused at the connection limits (in all, or from one address). */
  refusedConnections = 0;
  /** Requests a user made faster than its rate allows, served late (never refused). */
  rateLimited = 0;
  /** Requests answered with an error, by wire error code. */
  readonly refusals = new Map<string, number>();

  refused(code: string): void {
    this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1);
  }
}
