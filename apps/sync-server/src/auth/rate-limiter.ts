// Failed-attempt limiter for sign-in, kept in memory: a key (an IP address, an e-mail) that failed
// `maxFailures` times within `windowMs` is refused until the oldest of those failures ages out.
// Callers count an attempt as failed before they await anything and `forgive` it when it succeeds,
// so parallel attempts cannot all pass the check. Memory is bounded: stale keys are swept, and past
// `maxKeys` the oldest keys are dropped.

export interface RateLimitOptions {
  maxFailures: number;
  windowMs: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  maxKeys?: number;
}

export class FailureRateLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(options: RateLimitOptions) {
    this.maxFailures = options.maxFailures;
    this.windowMs = options.windowMs;
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  /** Milliseconds until every one of these keys may try again; 0 when none is blocked. */
  retryAfterMs(keys: readonly string[]): number {
    const now = this.now();
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.maxFailures) wait = Math.max(wait, recent[recent.length - this.maxFailures]! + this.windowMs - now);
    }
    return wait;
  }

  /** Counts a failure for each key; answers its time (for `forgive`). */
  fail(keys: readonly string[]): number {
    const now = this.now();
    for (const key of keys) {
      const recent = this.recent(key, now);
      recent.push(now);
      // Only the last maxFailures matter for the decision.
      if (recent.length > this.maxFailures) recent.splice(0, recent.length - this.maxFailures);
      this.failures.delete(key); // re-insert: Map order is then least recently failed first
      this.failures.set(key, recent);
    }
    if (this.failures.size > this.maxKeys) this.sweep(now);
    return now;
  }

  /** Takes back the failure `fail` counted at `at` (the attempt succeeded after all). */
  forgive(keys: readonly string[], at: number): void {
    for (const key of keys) {
      const list = this.failures.get(key);
      const i = list?.lastIndexOf(at) ?? -1;
      if (i >= 0) list!.splice(i, 1);
      if (list?.length === 0) this.failures.delete(key);
    }
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const list = this.failures.get(key);
    if (!list) return [];
    const kept = list.filter((t) => t > now - this.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    return kept;
  }

  private sweep(now: number): void {
    for (const [key, list] of this.failures) if (!list.some((t) => t > now - this.windowMs)) this.failures.delete(key);
    for (const key of this.failures.keys()) {
      if (this.failures.size <= this.maxKeys) break;
      this.failures.delete(key);
    }
  }
}
