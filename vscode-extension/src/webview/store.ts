import type { PanelState, ToWebview } from '../panel/messages';
import type { RequestInfo, StatsSummaryResult } from '../protocol/protocol';

/** A section the user is editing: a state update must not overwrite what they typed. */
export type EditedSection = 'routing' | 'cache' | 'limits';

/** How many of the latest requests the page keeps for its charts and table. */
const RECENT_LIMIT = 500;

/**
 * What the page knows: the panel state and the stats the extension sent last, the requests pushed since, and which
 * sections the user is editing. The sections read it; only the message handler in main.ts changes it.
 */
export class PanelStore {
  state: PanelState | undefined;
  summary: StatsSummaryResult | undefined;
  recent: RequestInfo[] = [];
  readonly dirty = new Set<EditedSection>();

  setStats(message: Extract<ToWebview, { type: 'stats' }>): void {
    this.summary = message.summary;
    this.recent = [...message.recent];
  }

  /** Newest first. A push can arrive after a refresh that already listed its requests: those are not added twice. */
  addCompleted(requests: readonly RequestInfo[]): void {
    const known = new Set(this.recent.map((r) => r.requestId));
    const fresh = requests.filter((r) => !known.has(r.requestId)).reverse();
    this.recent = [...fresh, ...this.recent].slice(0, RECENT_LIMIT);
  }

  get running(): boolean {
    return this.state?.router.state === 'running';
  }
}
