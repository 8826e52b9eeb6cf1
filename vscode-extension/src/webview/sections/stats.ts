import { latencyOfRecent, requestsPerMinute, tokensByEndpoint } from '../charts';
import { formatMillis, formatNumber, h, replaceChildren } from '../dom';
import type { PanelContext } from './context';

/** Live stats: tiles, small charts and the latest requests. */
export class StatsSection {
  readonly element = h('section', { id: 'stats', class: 'card' });

  constructor(private readonly context: PanelContext) {}

  render(): void {
    const { store } = this.context;
    const state = store.state;
    if (!state) return;
    const summary = store.summary;
    if (state.router.state !== 'running' || !summary) {
      replaceChildren(
        this.element,
        h('h2', {}, 'Live stats'),
        h(
          'p',
          { class: 'muted' },
          state.router.state === 'running' ? 'Loading…' : 'Start the router to see its stats.',
        ),
      );
      return;
    }
    const recent = store.recent;
    const total = summary.total;
    const tile = (id: string, label: string, value: string, detail?: string) =>
      h(
        'div',
        { class: 'tile', id },
        h('span', { class: 'tile-value' }, value),
        h('span', { class: 'tile-label' }, label),
        detail ? h('span', { class: 'muted' }, detail) : null,
      );
    // Requests pushed since the summary was read are counted in `recent` already; the summary catches up within a
    // second.
    const since = new Date(summary.since);
    replaceChildren(
      this.element,
      h('h2', {}, 'Live stats', h('small', { class: 'muted' }, ` since ${since.toLocaleTimeString()}`)),
      state.router.sharedBaseUrl
        ? h(
            'p',
            { class: 'muted' },
            `Requests are served by the ccr at ${state.router.sharedBaseUrl}; its window shows their stats.`,
          )
        : null,
      h(
        'div',
        { class: 'tiles' },
        tile(
          'stat-requests',
          'requests',
          formatNumber(total.requests),
          total.errors ? `${total.errors} failed` : undefined,
        ),
        tile(
          'stat-latency',
          'latency p50 / p90',
          `${formatMillis(total.duration?.p50)} / ${formatMillis(total.duration?.p90)}`,
        ),
        tile('stat-ttfb', 'first byte p50', formatMillis(total.timeToFirstByte?.p50)),
        tile(
          'stat-tokens',
          'tokens in / out',
          `${formatNumber(total.inputTokens)} / ${formatNumber(total.outputTokens)}`,
        ),
        tile('stat-cache-reads', 'prompt cache reads', formatNumber(total.cacheReadTokens)),
        tile('stat-cache-hits', 'router cache hits', formatNumber(total.cacheHits)),
        tile(
          'stat-cost',
          'cost',
          state.costs && total.costUsd !== undefined ? formatUsd(total.costUsd) : '—',
          !state.costs
            ? 'no pricing in this build'
            : total.costUsd === undefined && total.requests > 0
              ? 'a model without a known price (see pricing in the config)'
              : undefined,
        ),
      ),
      h(
        'div',
        { class: 'charts' },
        requestsPerMinute(recent),
        latencyOfRecent(recent),
        tokensByEndpoint(summary.byEndpoint),
      ),
      h(
        'details',
        {},
        h('summary', {}, `Latest requests (${Math.min(recent.length, 20)})`),
        h(
          'table',
          { class: 'requests' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Time', 'Model', 'Endpoint', 'Status', 'Duration', 'Tokens'].map((t) => h('th', {}, t)),
            ),
          ),
          h(
            'tbody',
            {},
            recent
              .slice(0, 20)
              .map((r) =>
                h(
                  'tr',
                  { class: r.status >= 400 || r.errorType ? 'failed' : '' },
                  h('td', {}, new Date(r.startedAt).toLocaleTimeString()),
                  h('td', {}, r.requestedModel ?? ''),
                  h('td', {}, r.endpoint ?? '—'),
                  h('td', { title: r.errorType ?? '' }, String(r.status)),
                  h('td', { class: 'num' }, formatMillis(r.durationMillis)),
                  h('td', { class: 'num' }, `${formatNumber(r.inputTokens)} / ${formatNumber(r.outputTokens)}`),
                ),
              ),
          ),
        ),
      ),
    );
  }
}

function formatUsd(value: number): string {
  return value > 0 && value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}
