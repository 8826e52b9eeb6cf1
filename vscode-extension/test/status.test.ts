/**
 * What the status bar says in each state, the probe that tells whether another ccr serves the address, the requests
 * counted per day, and the API key store.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { ApiKeyStore } from '../src/credentials/apiKeyStore';
import { Emitter } from '../src/events';
import { RequestsToday } from '../src/status/requestsToday';
import { probeRouter, SharedRouterWatcher, type SharedRouter } from '../src/status/sharedRouter';
import { escape, presentStatus } from '../src/status/statusPresentation';
import { FakeConnection, fakeSession, MemoryState } from './support/fakeSession';

const running = (status: Parameters<typeof fakeSession>[1]) =>
  ({ kind: 'running', session: fakeSession(new FakeConnection(), status) }) as const;
const shared: SharedRouter = { baseUrl: 'http://127.0.0.1:3456', version: '0.1.0', startedAt: 1 };

describe('status bar presentation', () => {
  it('says routed, direct or error, as the issue words it', () => {
    assert.equal(
      presentStatus({ state: running({ routing: 'ON' }), requestsToday: 0 }).text,
      '$(arrow-swap) Claude: Routed · glm',
    );
    assert.equal(
      presentStatus({ state: running({ routing: 'OFF' }), requestsToday: 0 }).text,
      '$(circle-slash) Claude: Direct',
    );
    const failed = presentStatus({
      state: running({ proxy: 'FAILED', baseUrl: undefined, lastError: 'the config has problems' }),
      requestsToday: 0,
    });
    assert.equal(failed.text, '$(error) Claude: Router error');
    assert.equal(failed.severity, 'error');
    assert.match(failed.tooltip, /\*\*Last error:\*\* the config has problems/);
  });

  it('shows an override as routed with a warning', () => {
    const overridden = presentStatus({ state: running({ routing: 'OVERRIDDEN' }), requestsToday: 0 });
    assert.equal(overridden.text, '$(warning) Claude: Routed · glm');
    assert.equal(overridden.severity, 'warning');
    assert.match(overridden.tooltip, /project or managed settings file/);
  });

  it('puts port, endpoints with health, requests today and actions in the tooltip', () => {
    const { tooltip } = presentStatus({ state: running({ routing: 'ON' }), requestsToday: 42 });
    assert.match(tooltip, /Listening on port 3456: `http:\/\/127\.0\.0\.1:3456`/);
    assert.match(tooltip, /\$\(pass\) \*\*glm\*\* \(custom · default\): healthy/);
    assert.match(tooltip, /\$\(error\) \*\*anthropic\*\* \(anthropic\): failing: HTTP 529/);
    assert.match(tooltip, /Requests today: 42/);
    assert.match(tooltip, /\[Toggle routing\]\(command:ccr\.toggleRouting\)/);
  });

  it('in team mode, says whether state is shared through Redis or this router runs on its own', () => {
    const team = presentStatus({
      state: running({
        routing: 'ON',
        shared: { store: 'redis://ccr:***@10.0.0.5:6379', shared: true, since: 1 },
      }),
      requestsToday: 0,
    });
    assert.match(
      team.tooltip,
      /Team: limits, budgets, breakers and the cache are shared through `redis:\/\/ccr:\*\*\*@10\.0\.0\.5:6379`/,
    );
    const alone = presentStatus({
      state: running({
        routing: 'ON',
        shared: { store: 'redis://10.0.0.5:6379', shared: false, since: 1, lastError: 'Connection refused' },
      }),
      requestsToday: 0,
    });
    assert.match(
      alone.tooltip,
      /\$\(warning\) \*\*Team:\*\* Redis at `redis:\/\/10\.0\.0\.5:6379` is not usable since .* \(Connection refused\): this router enforces limits and budgets on its own/,
    );
    assert.equal(alone.text, '$(arrow-swap) Claude: Routed · glm', 'requests still go through: routed, not an error');
    assert.doesNotMatch(
      presentStatus({ state: running({ routing: 'ON' }), requestsToday: 0 }).tooltip,
      /Team/,
      'nothing about a team without one',
    );
  });

  it('when another window’s router serves the port: routed (or direct), not an error, and says so', () => {
    const failedHere = {
      proxy: 'FAILED' as const,
      baseUrl: undefined,
      lastError: 'port 3456 is taken by another ccr (pid 7)',
    };
    const routed = presentStatus({ state: running({ ...failedHere, routing: 'ON' }), shared, requestsToday: 0 });
    assert.equal(routed.text, '$(arrow-swap) Claude: Routed · glm');
    assert.equal(routed.severity, 'normal');
    assert.match(routed.tooltip, /Served by another ccr at `http:\/\/127\.0\.0\.1:3456`/);
    assert.doesNotMatch(routed.tooltip, /Last error/);
    const direct = presentStatus({ state: running({ ...failedHere, routing: 'OFF' }), shared, requestsToday: 0 });
    assert.equal(direct.text, '$(circle-slash) Claude: Direct');
  });

  it('while the router is down, says whether Claude Code still points at it', () => {
    const stopped = presentStatus({ state: { kind: 'stopped' }, lastRouting: 'ON', requestsToday: 0 });
    assert.equal(stopped.text, '$(error) Claude: Router error');
    assert.match(stopped.tooltip, /\*\*No router answers\*\*, but Claude Code is still pointed at it/);
    // The fix, one click each.
    assert.match(stopped.tooltip, /\[start the router\]\(command:ccr\.startRouter\)/);
    assert.match(stopped.tooltip, /\[turn routing off\]\(command:ccr\.turnRoutingOff\)/);
    const stoppedElsewhere = presentStatus({
      state: { kind: 'stopped', message: 'the router was stopped from ccr-vscode 0.1.0' },
      lastRouting: 'OFF',
      requestsToday: 0,
    });
    assert.ok(
      stoppedElsewhere.tooltip.includes(
        `The router is stopped: ${escape('the router was stopped from ccr-vscode 0.1.0')}.`,
      ),
    );
    assert.equal(
      presentStatus({ state: { kind: 'stopped' }, lastRouting: 'OFF', requestsToday: 0 }).text,
      '$(circle-slash) Claude: Direct',
    );
    const gaveUp = presentStatus({
      state: { kind: 'failed', problem: 'crashLoop', message: 'stopped unexpectedly 5 times' },
      requestsToday: 0,
    });
    assert.equal(gaveUp.text, '$(error) Claude: Router error');
    assert.match(gaveUp.tooltip, /\[Start router\]\(command:ccr\.startRouter\)/);
    const restarting = presentStatus({
      state: { kind: 'restarting', delayMs: 2000, crashes: 2, lastExit: 'exit status 1' },
      requestsToday: 0,
    });
    assert.equal(restarting.text, '$(loading~spin) Claude: Restarting router…');
  });

  it('says what closing VS Code does: keep serving, turn routing off, or nothing to keep', () => {
    const keep = presentStatus({ state: running({ routing: 'ON', editors: 2 }), requestsToday: 0 });
    assert.match(
      keep.tooltip,
      /Shared by 2 VS Code windows\. When VS Code closes, the router keeps serving Claude Code/,
    );
    const off = presentStatus({
      state: running({ routing: 'ON' }),
      requestsToday: 0,
      whenClosing: 'TURN_ROUTING_OFF',
    });
    assert.match(off.tooltip, /When VS Code closes, routing is turned off \(Claude Code's settings restored exactly\)/);
    assert.doesNotMatch(off.tooltip, /Shared by/);
    const direct = presentStatus({ state: running({ routing: 'OFF' }), requestsToday: 0 });
    assert.match(direct.tooltip, /When VS Code closes, the router stops: nothing is routed through it/);
    const standalone = presentStatus({ state: running({ routing: 'ON', lifetime: 'STANDALONE' }), requestsToday: 0 });
    assert.match(standalone.tooltip, /runs outside VS Code \(`ccr start` or the login service\) and keeps running/);
    const old = presentStatus({ state: running({ routing: 'ON', lifetime: undefined }), requestsToday: 0 });
    assert.match(old.tooltip, /The router stops when this window closes/);
  });

  it('shows server text as written, never as markdown or links', () => {
    assert.equal(escape('[click](command:x) *a* $(bug)'), '\\[click\\]\\(command:x\\) \\*a\\* \\$\\(bug\\)');
    const { tooltip } = presentStatus({
      state: running({ proxy: 'FAILED', lastError: '[evil](command:workbench.action.terminal.new)' }),
      requestsToday: 0,
    });
    assert.ok(!tooltip.includes('[evil](command:'));
  });
});

describe('shared router probe', () => {
  async function server(handler: http.RequestListener): Promise<{ port: number; close: () => Promise<void> }> {
    const s = http.createServer(handler);
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    return { port: (s.address() as AddressInfo).port, close: () => new Promise((resolve) => s.close(() => resolve())) };
  }

  it('recognises a ccr by its /health answer, and nothing else', async () => {
    const ccr = await server((req, res) => {
      res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', version: '0.1.0', startedAt: 1767225600000 }));
    });
    const other = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok' }));
    });
    try {
      assert.deepEqual(await probeRouter('127.0.0.1', ccr.port), {
        baseUrl: `http://127.0.0.1:${ccr.port}`,
        version: '0.1.0',
        startedAt: 1767225600000,
      });
      assert.deepEqual(await probeRouter('0.0.0.0', ccr.port), {
        baseUrl: `http://127.0.0.1:${ccr.port}`,
        version: '0.1.0',
        startedAt: 1767225600000,
      });
      assert.equal(await probeRouter('127.0.0.1', other.port), undefined);
    } finally {
      await ccr.close();
      await other.close();
    }
    assert.equal(await probeRouter('127.0.0.1', ccr.port), undefined, 'nothing listening');
  });

  it('watches while asked to, announcing each change once', async () => {
    let answer: SharedRouter | undefined = shared;
    const seen: (SharedRouter | undefined)[] = [];
    const watcher = new SharedRouterWatcher(20, async () => answer);
    watcher.onDidChange((value) => seen.push(value));
    watcher.watch({ host: '127.0.0.1', port: 3456 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(seen, [shared]);
    answer = undefined; // the other window closed
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(seen, [shared, undefined]);
    watcher.watch(undefined);
    answer = shared;
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(seen, [shared, undefined], 'no probing after watch(undefined)');
    watcher.dispose();
  });
});

describe('requests today', () => {
  it('counts per local calendar day and survives in the state store', async () => {
    const state = new MemoryState();
    let now = new Date(2026, 0, 1, 23, 59);
    const counter = new RequestsToday(state, () => now);
    await counter.add(3);
    await counter.add(2);
    assert.equal(new RequestsToday(state, () => now).count, 5, 'a new window reads the same count');
    now = new Date(2026, 0, 2, 0, 1);
    assert.equal(counter.count, 0);
    await counter.add(1);
    assert.equal(counter.count, 1);
  });
});

describe('API key store', () => {
  it('keeps keys under its own names, lists endpoints with keys, and announces changes', async () => {
    const values = new Map<string, string>();
    const changes = new Emitter<{ key: string }>();
    const store = new ApiKeyStore({
      keys: async () => [...values.keys()],
      get: async (key) => values.get(key),
      store: async (key, value) => {
        values.set(key, value);
        changes.fire({ key });
      },
      delete: async (key) => {
        values.delete(key);
        changes.fire({ key });
      },
      onDidChange: changes.event,
    });
    const announced: string[] = [];
    store.onDidChange((endpoint) => announced.push(endpoint));
    await store.set('glm', '  sk-1  ');
    values.set('other.extension.secret', 'x');
    assert.equal(await store.get('glm'), 'sk-1');
    assert.deepEqual([...(await store.endpointsWithKeys())], ['glm']);
    changes.fire({ key: 'ccr.apiKey.deepseek' }); // set by another window
    changes.fire({ key: 'other.extension.secret' });
    await store.clear('glm');
    assert.deepEqual(announced, ['glm', 'deepseek', 'glm']);
    await assert.rejects(store.set('glm', '   '), /cannot be empty/);
  });
});
