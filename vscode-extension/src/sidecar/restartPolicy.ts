export interface RestartPolicyOptions {
  /** This many crashes within {@link windowMs} and the launcher stops trying. */
  readonly maxCrashes: number;
  readonly windowMs: number;
  /** The wait before the first restart; it doubles with each crash still in the window. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

/** 5 crashes in 3 minutes, as the issue asks; 1 s, 2 s, 4 s, 8 s between them. */
export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  maxCrashes: 5,
  windowMs: 3 * 60_000,
  firstDelayMs: 1_000,
  maxDelayMs: 30_000,
};

export type RestartDecision =
  | { readonly restart: true; readonly delayMs: number; readonly crashesInWindow: number }
  | { readonly restart: false; readonly crashesInWindow: number };

/**
 * Decides whether to restart the sidecar after it died unexpectedly, and after how long. A router that crashes at
 * start-up would otherwise be restarted forever, filling the log and burning a core; one that crashed once after hours
 * should come back quickly. Crashes older than the window are forgotten.
 */
export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a crash that happened now and says what to do. */
  crashed(): RestartDecision {
    const now = this.now();
    this.crashes = this.crashes.filter((at) => now - at < this.options.windowMs);
    this.crashes.push(now);
    const count = this.crashes.length;
    if (count >= this.options.maxCrashes) {
      return { restart: false, crashesInWindow: count };
    }
    const delayMs = Math.min(this.options.firstDelayMs * 2 ** (count - 1), this.options.maxDelayMs);
    return { restart: true, delayMs, crashesInWindow: count };
  }

  /** The user started the router by hand: past crashes no longer count against it. */
  reset(): void {
    this.crashes = [];
  }
}
