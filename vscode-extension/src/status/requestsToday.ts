import type { StateStore } from '../claude/claudeCodeExtension';

const KEY = 'ccr.requestsToday';

interface DayCount {
  readonly day: string;
  readonly count: number;
}

/**
 * Requests routed today, for the status bar tooltip. The server counts since it started; this counts per calendar day
 * (local time) from the requests it pushes, kept in the extension's state so a reload or a router restart does not
 * reset it.
 */
export class RequestsToday {
  constructor(
    private readonly state: StateStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get count(): number {
    const saved = this.state.get<DayCount>(KEY);
    return saved && saved.day === dayOf(this.now()) ? saved.count : 0;
  }

  /** Adds finished requests (those in a push plus the ones it dropped). */
  async add(requests: number): Promise<number> {
    const count = this.count + requests;
    await this.state.update(KEY, { day: dayOf(this.now()), count } satisfies DayCount);
    return count;
  }
}

function dayOf(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}
