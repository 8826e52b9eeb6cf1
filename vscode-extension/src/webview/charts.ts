import type { RequestInfo, UsageGroup } from '../protocol/protocol';
import { formatMillis, formatNumber, h, svg } from './dom';

const WIDTH = 300;
const HEIGHT = 64;

/** Requests per minute over the last 30 minutes, errors stacked in another colour. */
export function requestsPerMinute(requests: readonly RequestInfo[], now = Date.now()): HTMLElement {
  const minutes = 30;
  const buckets = Array.from({ length: minutes }, () => ({ ok: 0, failed: 0 }));
  for (const request of requests) {
    const age = Math.floor((now - request.startedAt) / 60_000);
    if (age >= 0 && age < minutes) {
      const bucket = buckets[minutes - 1 - age];
      if (request.status >= 400 || request.errorType) bucket.failed++;
      else bucket.ok++;
    }
  }
  const max = Math.max(1, ...buckets.map((b) => b.ok + b.failed));
  const barWidth = WIDTH / minutes;
  const bars = buckets.flatMap((bucket, i) => {
    const okHeight = (bucket.ok / max) * (HEIGHT - 4);
    const failedHeight = (bucket.failed / max) * (HEIGHT - 4);
    const x = i * barWidth + 1;
    return [
      svg('rect', { x, y: HEIGHT - okHeight, width: barWidth - 2, height: okHeight, class: 'bar ok' }),
      svg('rect', {
        x,
        y: HEIGHT - okHeight - failedHeight,
        width: barWidth - 2,
        height: failedHeight,
        class: 'bar failed',
      }),
    ];
  });
  const total = buckets.reduce((sum, b) => sum + b.ok + b.failed, 0);
  return chart(
    'Requests per minute, last 30 min',
    `${total} requests, at most ${max} a minute`,
    svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img' }, ...bars),
  );
}

/** Duration of the latest requests, oldest left, with time to first byte underneath. */
export function latencyOfRecent(requests: readonly RequestInfo[]): HTMLElement {
  const latest = [...requests].sort((a, b) => a.startedAt - b.startedAt).slice(-60);
  if (latest.length < 2) {
    return chart('Latency of recent requests', 'not enough requests yet', h('div', { class: 'chart empty' }));
  }
  const max = Math.max(1, ...latest.map((r) => r.durationMillis));
  const x = (i: number) => (i / (latest.length - 1)) * WIDTH;
  const y = (ms: number) => HEIGHT - 2 - (Math.max(0, ms) / max) * (HEIGHT - 6);
  const line = (values: number[], cls: string) =>
    svg('polyline', {
      points: values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' '),
      class: `line ${cls}`,
    });
  return chart(
    'Latency of recent requests',
    `slowest ${formatMillis(max)}; lower line: time to first byte`,
    svg(
      'svg',
      { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img', preserveAspectRatio: 'none' },
      line(
        latest.map((r) => r.durationMillis),
        'duration',
      ),
      line(
        latest.map((r) => Math.max(0, r.timeToFirstByteMillis)),
        'ttfb',
      ),
    ),
  );
}

/** Tokens per endpoint: input, cache reads and output side by side. */
export function tokensByEndpoint(groups: readonly UsageGroup[]): HTMLElement {
  if (!groups.length) {
    return chart('Tokens by endpoint', 'no requests yet', h('div', { class: 'chart empty' }));
  }
  const rows = groups.slice(0, 6);
  const max = Math.max(1, ...rows.map((g) => g.usage.inputTokens + g.usage.cacheReadTokens + g.usage.outputTokens));
  return chart(
    'Tokens by endpoint',
    'input · cache reads · output',
    h(
      'div',
      { class: 'hbars' },
      rows.map((group) => {
        const u = group.usage;
        const part = (value: number, cls: string) => {
          const bar = h('span', { class: `hbar ${cls}`, title: `${formatNumber(value)} tokens` });
          bar.style.width = `${(value / max) * 100}%`;
          return bar;
        };
        return h(
          'div',
          { class: 'hbar-row' },
          h('span', { class: 'hbar-label' }, group.name),
          h(
            'span',
            { class: 'hbar-track' },
            part(u.inputTokens, 'input'),
            part(u.cacheReadTokens, 'cache'),
            part(u.outputTokens, 'output'),
          ),
          h('span', { class: 'hbar-value' }, formatNumber(u.inputTokens + u.cacheReadTokens + u.outputTokens)),
        );
      }),
    ),
  );
}

function chart(title: string, caption: string, body: Element): HTMLElement {
  return h(
    'figure',
    { class: 'chart-box' },
    h('figcaption', {}, h('strong', {}, title), h('span', { class: 'muted' }, caption)),
    body,
  );
}
