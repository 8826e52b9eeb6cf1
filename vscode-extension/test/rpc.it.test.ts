/**
 * The RPC client against the real server: the shaded jar the Maven build made (server/target/ccr.jar), started as the
 * extension starts it, with a throw-away HOME. Covers the handshake, config changes with the server's own validation
 * errors mapped to form fields, editor-held API keys reaching an upstream, pushed stats, the endpoint test with progress,
 * Claude Code's settings turned on and restored byte for byte, and a clean stop. The key never reaches the log.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MemoryLogger } from '../src/log';
import { fieldErrorsOf } from '../src/panel/fieldErrors';
import {
  ErrorCodes,
  Methods,
  type ClaudeSettingsResult,
  type ConfigResult,
  type EndpointTestProgressParams,
  type RequestInfo,
} from '../src/protocol/protocol';
import { CcrRpcError } from '../src/rpc/ccrConnection';
import { ClaudeCodeExtension } from '../src/claude/claudeCodeExtension';
import { RoutingController } from '../src/claude/routingController';
import { RouterService, type RouterSession } from '../src/sidecar/routerService';
import { MemoryState } from './support/fakeSession';
import { FakeUpstream, freePort, postMessage } from './support/fakeUpstream';
import { serverJar } from './support/paths';

const SECRET = 'sk-test-rpc-5f2c1e9b';
const USER_SETTINGS = '{\n    "model": "opus",\n    "env": {\n        "FOO": "bar"\n    },\n    "theme": "dark"\n}\n';

describe('RPC client against the real server jar', { timeout: 180_000 }, () => {
  let home: string;
  let upstream: FakeUpstream;
  let service: RouterService;
  let port: number;
  const logger = new MemoryLogger();
  const configs: ConfigResult[] = [];
  const completed: RequestInfo[] = [];
  const progress: EndpointTestProgressParams[] = [];
  const keysAskedFor: string[] = [];

  before(async () => {
    assert.ok(
      existsSync(serverJar),
      `the server jar is missing (${serverJar}); build it: ./mvnw -pl server -am package`,
    );
    home = mkdtempSync(path.join(tmpdir(), 'ccr-rpc-it-'));
    upstream = await FakeUpstream.start();
    port = await freePort();
    mkdirSync(path.join(home, '.claude-code-router'));
    writeFileSync(
      path.join(home, '.claude-code-router', 'config.json'),
      JSON.stringify(
        {
          port,
          endpoints: [{ name: 'anthropic', type: 'anthropic', baseUrl: 'https://api.anthropic.com/v1' }],
        },
        null,
        2,
      ),
    );
    mkdirSync(path.join(home, '.claude'));
    writeFileSync(path.join(home, '.claude', 'settings.json'), USER_SETTINGS);

    service = new RouterService({
      jar: serverJar,
      clientVersion: '0.1.0-test',
      logger,
      settings: () => ({ workspaceFolders: [path.join(home, 'project')], trace: true }),
      apiKey: async (endpoint) => {
        keysAskedFor.push(endpoint);
        return endpoint === 'fake' ? SECRET : undefined;
      },
      env: { ...process.env, HOME: home, CCR_HOME: '', CLAUDE_CONFIG_DIR: '' },
    });
    service.onDidChangeConfig((config) => configs.push(config));
    service.onDidCompleteRequests((params) => completed.push(...params.requests));
    service.onEndpointTestProgress((params) => progress.push(params));
  });

  after(async () => {
    await service?.stop();
    service?.dispose();
    await upstream?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  function session(): RouterSession {
    const current = service.session;
    assert.ok(current, `the router is not running: ${JSON.stringify(service.state)}\n${logger.lines.join('\n')}`);
    return current;
  }

  async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}\n${logger.lines.slice(-30).join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('starts the jar with a Java from the environment and completes the handshake', async () => {
    await service.start();
    const s = session();
    assert.match(s.serverVersion, /^\d+\.\d+/);
    assert.ok(s.capabilities.configSections.includes('endpoints'));
    assert.ok(
      logger.lines.some((line) =>
        /INFO starting the router: .*java .*-Xlog:disable .*-jar .*ccr\.jar lsp --shared --parent-pid \d+$/.test(line),
      ),
    );
    await until(() => service.session?.status.proxy === 'RUNNING', 'the proxy to run');
    assert.equal(service.session?.status.baseUrl, `http://127.0.0.1:${port}`);
    assert.equal(service.session?.status.routing, 'OFF');
  });

  it('adds an endpoint, announced by config/configChanged', async () => {
    const result = await session().connection.request(Methods.addEndpoint, {
      endpoint: { name: 'fake', type: 'ANTHROPIC', baseUrl: upstream.baseUrl },
      dryRun: false,
    });
    assert.equal(result.applied, true);
    await until(() => configs.some((c) => c.endpoints.some((e) => e.name === 'fake')), 'configChanged');
    const config = await session().connection.request(Methods.getConfig);
    const fake = config.endpoints.find((e) => e.name === 'fake');
    assert.equal(fake?.apiKey, 'EDITOR_OR_CLIENT');
    assert.ok(!readFileSync(config.file, 'utf8').includes(SECRET));
  });

  it('puts the server’s validation errors next to the form fields they concern', async () => {
    const config = await session().connection.request(Methods.getConfig);
    const invalid = session().connection.request(Methods.addEndpoint, {
      endpoint: { name: 'bad', type: 'OPENAI', baseUrl: 'ftp://127.0.0.1/v1' },
      dryRun: false,
    });
    const error = await invalid.then(
      () => assert.fail('an ftp URL was accepted'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof CcrRpcError && error.code === ErrorCodes.CONFIG_INVALID, String(error));
    const fields = fieldErrorsOf(error, config.endpoints.length);
    assert.match(fields.baseUrl ?? '', /ftp:\/\/127\.0\.0\.1\/v1/);
    assert.equal(fields.form, undefined);

    const taken = await session()
      .connection.request(Methods.addEndpoint, {
        endpoint: { name: 'fake', type: 'ANTHROPIC', baseUrl: upstream.baseUrl },
        dryRun: false,
      })
      .catch((e: unknown) => e);
    assert.match(fieldErrorsOf(taken).name ?? '', /exists already/);
  });

  it('hands the editor’s key to the upstream through credentials/getApiKey, and pushes the finished request', async () => {
    const response = await postMessage(`http://127.0.0.1:${port}`, 'fake,claude-test-model');
    assert.equal(response.status, 200, response.body);
    assert.match(response.body, /hello from the fake upstream/);
    const seen = upstream.requests.find((r) => r.method === 'POST');
    assert.equal(seen?.headers['x-api-key'], SECRET);
    // Asked once, up front (a shared router keeps the keys it may need), and remembered.
    assert.deepEqual(
      keysAskedFor.filter((endpoint) => endpoint === 'fake'),
      ['fake'],
    );

    await until(() => completed.some((r) => r.endpoint === 'fake'), 'stats/requestsCompleted');
    const summary = await session().connection.request(Methods.statsSummary);
    assert.equal(summary.total.requests, 1);
    assert.equal(summary.byEndpoint[0].name, 'fake');
  });

  it('tests an endpoint with progress', async () => {
    const result = await session().connection.request(Methods.testEndpoint, { name: 'fake', progressToken: 'it-1' });
    assert.equal(result.reachable, true, result.message);
    assert.equal(result.auth, 'ACCEPTED');
    assert.deepEqual(result.models, ['fake-model']);
    await until(() => progress.some((p) => p.step === 'LIST_MODELS' && p.state !== 'STARTED'), 'the last step');
    assert.ok(progress.every((p) => p.progressToken === 'it-1'));
  });

  it('turns routing on and off, restoring Claude Code’s settings byte for byte', async () => {
    const settingsFile = path.join(home, '.claude', 'settings.json');
    const on = await session().connection.request(Methods.claudeEnable, {});
    assert.equal(on.enabled, true);
    assert.equal(on.settingsFile, settingsFile);
    const written = JSON.parse(readFileSync(settingsFile, 'utf8')) as { env: Record<string, string> };
    assert.equal(written.env.ANTHROPIC_BASE_URL, `http://127.0.0.1:${port}`);
    assert.equal(written.env.FOO, 'bar');
    await until(() => service.session?.status.routing === 'ON', 'routing ON in the status');

    const off = await session().connection.request(Methods.claudeDisable, {});
    assert.equal(off.enabled, false);
    assert.equal(readFileSync(settingsFile, 'utf8'), USER_SETTINGS);
    await until(() => service.session?.status.routing === 'OFF', 'routing OFF in the status');
  });

  it('never writes the key to the log', () => {
    assert.ok(logger.lines.length > 10);
    assert.ok(!logger.lines.some((line) => line.includes(SECRET)), 'the API key appeared in the log');
  });

  it('stops cleanly', async () => {
    const pid = session().processId;
    await service.stop();
    assert.equal(service.state.kind, 'stopped');
    assert.ok(
      logger.lines.some((line) => line.includes('the router stopped (exit status 0)')),
      logger.lines.join('\n'),
    );
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
  });

  it('turns routing off while no router runs, restoring the settings byte for byte', async () => {
    const settingsFile = path.join(home, '.claude', 'settings.json');
    await service.runCommand(['claude', 'enable']);
    assert.notEqual(readFileSync(settingsFile, 'utf8'), USER_SETTINGS);
    // As the status bar's "Turn Routing Off" does with no router: ccr claude disable, through the extension's jar.
    const routing = new RoutingController({
      session: () => service.session,
      claudeCodeExtension: new ClaudeCodeExtension({
        isInstalled: () => false,
        disableLoginPrompt: { read: () => undefined, write: async () => undefined },
        terminals: { replace: () => undefined, clear: () => undefined },
        state: new MemoryState(),
      }),
      configureExtension: () => true,
      logger,
      disableWithoutRouter: async () =>
        JSON.parse(await service.runCommand(['claude', 'disable', '--json'])) as ClaudeSettingsResult,
    });
    assert.equal(service.session, undefined);
    const outcome = await routing.turnOff();
    assert.match(outcome.message, /^routing off/);
    assert.equal(readFileSync(settingsFile, 'utf8'), USER_SETTINGS);
  });
});

/**
 * Two VS Code windows, each with its sidecar, on one config: the second cannot bind the port and says that another
 * ccr has it; the extension finds that ccr at the address and shows routing as working (it does: both windows point
 * Claude Code at the same URL); when the first window closes, the second takes over by itself.
 */
describe('two windows on one config', { timeout: 120_000 }, () => {
  let home: string;
  const windows: RouterService[] = [];
  const logs: MemoryLogger[] = [];

  before(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'ccr-two-windows-'));
    const port = await freePort();
    mkdirSync(path.join(home, '.claude-code-router'));
    writeFileSync(
      path.join(home, '.claude-code-router', 'config.json'),
      JSON.stringify({
        port,
        endpoints: [{ name: 'anthropic', type: 'anthropic', baseUrl: 'https://api.anthropic.com/v1' }],
      }),
    );
    for (let i = 0; i < 2; i++) {
      const logger = new MemoryLogger();
      logs.push(logger);
      windows.push(
        new RouterService({
          jar: serverJar,
          clientVersion: '0.1.0-test',
          logger,
          settings: () => ({ workspaceFolders: [], trace: false }),
          apiKey: async () => undefined,
          env: { ...process.env, HOME: home, CCR_HOME: '', CLAUDE_CONFIG_DIR: '' },
        }),
      );
    }
  });

  after(async () => {
    for (const window of windows) {
      await window.stop();
      window.dispose();
    }
    rmSync(home, { recursive: true, force: true });
  });

  async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${what}\n${logs.map((l) => l.lines.slice(-10).join('\n')).join('\n---\n')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('two windows starting at the same moment get one router, and share its live state', async () => {
    const [first, second] = windows;
    await Promise.all([first.start(), second.start()]);
    await until(() => first.session !== undefined && second.session !== undefined, 'both windows to run', 60_000);
    const a = first.session!;
    const b = second.session!;
    assert.equal(a.processId, b.processId, 'one router process');
    assert.deepEqual([a.transport, b.transport].sort(), ['socket', 'stdio']);
    assert.equal(a.status.lifetime, 'SHARED');
    await until(
      () => first.session?.status.editors === 2 && second.session?.status.editors === 2,
      'two editors',
      20_000,
    );

    // An endpoint added in one window is pushed to the other.
    await b.connection.request(Methods.addEndpoint, {
      endpoint: { name: 'glm', type: 'OPENAI', baseUrl: 'https://open.bigmodel.cn/api/paas/v4' },
      dryRun: false,
    });
    await until(() => first.session?.status.endpoints.length === 2, 'the endpoint in the other window', 20_000);
  });

  it('the window that started the router closes; the other keeps it, and takes over when it dies', async () => {
    const [first, second] = windows;
    const starter = first.session?.transport === 'stdio' ? first : second;
    const other = starter === first ? second : first;
    const pid = other.session!.processId;

    await starter.detach();
    await until(() => other.session?.status.editors === 1, 'one editor left', 20_000);
    assert.equal(other.session?.processId, pid);
    assert.equal(other.session?.status.proxy, 'RUNNING');
    assert.ok(isAlive(pid), 'the router outlives the window that started it');

    process.kill(pid, 'SIGKILL');
    await until(
      () => other.session !== undefined && other.session.processId !== pid,
      'the window to start a router of its own',
      60_000,
    );
    assert.equal(other.session!.transport, 'stdio');
    await until(() => other.session?.status.proxy === 'RUNNING', 'its proxy', 30_000);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
