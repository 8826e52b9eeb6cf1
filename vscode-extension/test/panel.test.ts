/**
 * Webview message handling: what the settings panel's controller sends to the sidecar for each message of the page,
 * how it answers the page (errors next to fields), and that no message to the page ever carries an API key.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClaudeCodeExtension } from '../src/claude/claudeCodeExtension';
import { RoutingController } from '../src/claude/routingController';
import { ApiKeyStore, type SecretStore } from '../src/credentials/apiKeyStore';
import { MemoryLogger } from '../src/log';
import { settingsFromForm } from '../src/panel/endpointForm';
import { fieldErrorsOf, fieldOfProblem } from '../src/panel/fieldErrors';
import type { EndpointForm, FromWebview, ToWebview } from '../src/panel/messages';
import { PanelController } from '../src/panel/panelController';
import { ErrorCodes, type ConfigResult } from '../src/protocol/protocol';
import { CcrRpcError } from '../src/rpc/ccrConnection';
import type { RouterState } from '../src/sidecar/routerService';
import { FakeConnection, fakeSession, MemoryState } from './support/fakeSession';

const SECRET = 'sk-panel-test-0b9e';

class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  async keys() {
    return [...this.values.keys()];
  }
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}

const CONFIG: ConfigResult = {
  file: '/home/dev/.claude-code-router/config.json',
  fromFile: true,
  host: '127.0.0.1',
  port: 3456,
  endpoints: [
    {
      name: 'anthropic',
      type: 'ANTHROPIC',
      format: 'ANTHROPIC',
      baseUrl: 'https://api.anthropic.com/v1',
      headerNames: [],
      models: [],
      modelMap: {},
      apiKey: 'EDITOR_OR_CLIENT',
    },
    {
      name: 'glm',
      type: 'CUSTOM',
      format: 'OPENAI',
      baseUrl: 'https://open.bigmodel.cn/api/paas/v4',
      headerNames: ['X-Title'],
      models: ['glm-4.6'],
      modelMap: {},
      apiKey: 'EDITOR_OR_CLIENT',
    },
  ],
  defaultEndpoint: 'anthropic',
  cache: { enabled: false, ttlSeconds: 3600 },
  routes: { futureScenario: 'glm', think: 'glm' },
  warnings: [],
};

function form(overrides: Partial<EndpointForm> = {}): EndpointForm {
  return {
    name: 'deepseek',
    type: 'CUSTOM',
    baseUrl: 'https://api.deepseek.com/v1',
    format: '',
    models: 'deepseek-chat, deepseek-reasoner',
    modelMap: 'claude-* = deepseek-chat',
    headers: '',
    removeHeaders: [],
    apiKey: '',
    clearApiKey: false,
    ...overrides,
  };
}

function panel(connection: FakeConnection, options: { sections?: string[]; state?: RouterState } = {}) {
  const secrets = new MemorySecrets();
  const apiKeys = new ApiKeyStore(secrets);
  const session = fakeSession(connection, {}, options.sections);
  const posted: ToWebview[] = [];
  const commands: string[] = [];
  const routing = new RoutingController({
    session: () => session,
    claudeCodeExtension: new ClaudeCodeExtension({
      isInstalled: () => false,
      disableLoginPrompt: { read: () => undefined, write: async () => undefined },
      terminals: { replace: () => undefined, clear: () => undefined },
      state: new MemoryState(),
    }),
    configureExtension: () => true,
    logger: new MemoryLogger(),
  });
  let configure = true;
  const controller = new PanelController({
    routerState: () => options.state ?? { kind: 'running', session },
    config: () => CONFIG,
    shared: () => undefined,
    apiKeys,
    routing,
    claudeCodeExtensionInstalled: () => false,
    configureExtension: { get: () => configure, set: async (on) => void (configure = on) },
    post: (message) => posted.push(message),
    runCommand: (command) => commands.push(command),
    logger: new MemoryLogger(),
  });
  const send = async (message: FromWebview) => {
    await controller.handle(message);
    return posted.at(-1);
  };
  return { controller, posted, commands, secrets, apiKeys, send };
}

const applied = () => ({ applied: true, warnings: [] });

describe('settings panel: messages from the page', () => {
  it('adds an endpoint, then stores its key, and answers the page', async () => {
    const connection = new FakeConnection().on('config/addEndpoint', applied);
    const { send, secrets } = panel(connection);
    const reply = await send({ type: 'saveEndpoint', id: 7, mode: 'add', form: form({ apiKey: ` ${SECRET} ` }) });
    assert.deepEqual(connection.calls, [
      {
        method: 'config/addEndpoint',
        params: {
          endpoint: {
            name: 'deepseek',
            type: 'CUSTOM',
            baseUrl: 'https://api.deepseek.com/v1',
            models: ['deepseek-chat', 'deepseek-reasoner'],
            modelMap: { 'claude-*': 'deepseek-chat' },
          },
          dryRun: false,
        },
      },
    ]);
    assert.equal(secrets.values.get('ccr.apiKey.deepseek'), SECRET);
    assert.deepEqual(reply, {
      type: 'reply',
      id: 7,
      ok: true,
      message: 'Endpoint "deepseek" added. Its API key is in VS Code’s secret storage.',
    });
  });

  it('puts the sidecar’s validation errors next to the fields, and stores no key for a refused endpoint', async () => {
    const connection = new FakeConnection().on('config/addEndpoint', () => {
      throw new CcrRpcError('config/addEndpoint', ErrorCodes.CONFIG_INVALID, 'the change was not applied: …', {
        problems: [
          {
            line: 9,
            column: 18,
            path: '$.endpoints[2].baseUrl',
            message: '"ftp://x/v1" is not an http:// or https:// URL',
          },
          { line: 3, column: 5, path: '$.endpoints[0].type', message: 'something else is wrong' },
        ],
      });
    });
    const { send, secrets } = panel(connection);
    const reply = await send({
      type: 'saveEndpoint',
      id: 8,
      mode: 'add',
      form: form({ baseUrl: 'ftp://x/v1', apiKey: SECRET }),
    });
    assert.ok(reply?.type === 'reply' && !reply.ok);
    assert.deepEqual(reply.fieldErrors, {
      baseUrl: '"ftp://x/v1" is not an http:// or https:// URL',
      form: '$.endpoints[0].type, line 3: something else is wrong',
    });
    assert.equal(secrets.values.size, 0);
  });

  it('reports a taken name at the name field', async () => {
    const connection = new FakeConnection().on('config/addEndpoint', () => {
      throw new CcrRpcError(
        'config/addEndpoint',
        ErrorCodes.ENDPOINT_EXISTS,
        'an endpoint named "glm" exists already',
        undefined,
      );
    });
    const reply = await panel(connection).send({
      type: 'saveEndpoint',
      id: 9,
      mode: 'add',
      form: form({ name: 'glm' }),
    });
    assert.ok(reply?.type === 'reply');
    assert.deepEqual(reply.fieldErrors, { name: 'an endpoint named "glm" exists already' });
  });

  it('checks the form’s own syntax before asking the sidecar', async () => {
    const connection = new FakeConnection();
    const reply = await panel(connection).send({
      type: 'saveEndpoint',
      id: 10,
      mode: 'add',
      form: form({ name: ' ', modelMap: 'claude-*' }),
    });
    assert.ok(reply?.type === 'reply' && !reply.ok);
    assert.deepEqual(Object.keys(reply.fieldErrors ?? {}).sort(), ['modelMap', 'name']);
    assert.deepEqual(connection.calls, []);
  });

  it('edits an endpoint: removes a header, clears the stored key', async () => {
    const connection = new FakeConnection().on('config/updateEndpoint', applied);
    const { send, apiKeys, secrets } = panel(connection);
    await apiKeys.set('glm', SECRET);
    const reply = await send({
      type: 'saveEndpoint',
      id: 11,
      mode: 'edit',
      form: form({
        name: 'glm',
        baseUrl: 'https://api.z.ai/api/paas/v4',
        removeHeaders: ['X-Title', 'Not-There'],
        clearApiKey: true,
      }),
    });
    assert.ok(reply?.type === 'reply' && reply.ok, JSON.stringify(reply));
    const params = connection.calls[0].params as { endpoint: Record<string, unknown> };
    assert.equal(connection.calls[0].method, 'config/updateEndpoint');
    assert.deepEqual(params.endpoint.removeHeaders, ['X-Title']);
    assert.equal(params.endpoint.baseUrl, 'https://api.z.ai/api/paas/v4');
    assert.equal(secrets.values.has('ccr.apiKey.glm'), false);
  });

  it('removes an endpoint and its stored key', async () => {
    const connection = new FakeConnection().on('config/removeEndpoint', applied);
    const { send, apiKeys } = panel(connection);
    await apiKeys.set('glm', SECRET);
    await send({ type: 'removeEndpoint', id: 12, name: 'glm' });
    assert.deepEqual(connection.calls, [{ method: 'config/removeEndpoint', params: { name: 'glm', dryRun: false } }]);
    assert.equal(await apiKeys.get('glm'), undefined);
  });

  it('tests unsaved settings with the typed key, and a saved endpoint by name, forwarding progress', async () => {
    const connection = new FakeConnection().on('endpoints/test', () => ({
      endpoint: 'deepseek',
      reachable: true,
      auth: 'ACCEPTED',
      httpStatus: 200,
      latencyMillis: 80,
      models: ['deepseek-chat'],
      message: 'endpoint "deepseek" answered in 80 ms',
    }));
    const { send, controller, posted } = panel(connection);
    await send({ type: 'testEndpoint', id: 13, name: 'deepseek', form: form({ apiKey: SECRET }) });
    const params = connection.calls[0].params as { apiKey: string; progressToken: string; endpoint: { name: string } };
    assert.equal(params.apiKey, SECRET);
    assert.equal(params.endpoint.name, 'deepseek');
    controller.testProgress({
      progressToken: params.progressToken,
      step: 'CONNECT',
      state: 'SUCCEEDED',
      message: 'HTTP 200',
    });
    controller.testProgress({ progressToken: 'someone-else', step: 'CONNECT', state: 'SUCCEEDED', message: 'no' });
    assert.deepEqual(
      posted.filter((m) => m.type === 'testProgress'),
      [{ type: 'testProgress', id: 13, step: 'CONNECT', state: 'SUCCEEDED', message: 'HTTP 200' }],
    );
    await send({ type: 'testEndpoint', id: 14, name: 'glm' });
    assert.deepEqual(Object.keys(connection.calls[1].params as object).sort(), ['name', 'progressToken']);
    assert.ok(posted.some((m) => m.type === 'reply' && m.id === 14 && m.ok));
  });

  it('saves cache settings, refusing a TTL that is not a number without asking the sidecar', async () => {
    const connection = new FakeConnection().on('config/setCache', applied);
    const { send } = panel(connection);
    const bad = await send({ type: 'setCache', id: 15, enabled: true, ttlSeconds: 'an hour' });
    assert.ok(bad?.type === 'reply' && !bad.ok && bad.fieldErrors?.['cache.ttl']);
    await send({ type: 'setCache', id: 16, enabled: true, ttlSeconds: ' 600 ' });
    assert.deepEqual(connection.calls, [
      { method: 'config/setCache', params: { cache: { enabled: true, ttlSeconds: 600 }, dryRun: false } },
    ]);
  });

  it('writes scenario routes and limits as the config file has them, keeping keys it does not know', async () => {
    const connection = new FakeConnection().on('config/setRoutes', applied).on('config/setLimits', applied);
    const { send } = panel(connection, { sections: ['endpoints', 'routes', 'limits'] });
    await send({ type: 'setRoutes', id: 17, routes: { background: ' glm,glm-4.5-air ', think: '', image: 'glm' } });
    await send({ type: 'setRoutes', id: 18, routes: {} });
    const bad = await send({ type: 'setLimits', id: 19, text: '{ "perEndpoint": ' });
    await send({ type: 'setLimits', id: 20, text: '{ "perEndpoint": { "glm": { "rpm": 60 } } }' });
    assert.ok(bad?.type === 'reply' && bad.fieldErrors?.limits?.startsWith('Not valid JSON'));
    assert.deepEqual(connection.calls, [
      {
        method: 'config/setRoutes',
        params: { routes: { futureScenario: 'glm', background: 'glm,glm-4.5-air', image: 'glm' }, dryRun: false },
      },
      { method: 'config/setRoutes', params: { routes: { futureScenario: 'glm' }, dryRun: false } },
      { method: 'config/setLimits', params: { limits: { perEndpoint: { glm: { rpm: 60 } } }, dryRun: false } },
    ]);
  });

  it('keeps routes with several targets, edited as JSON, and says which one is not valid JSON', async () => {
    const connection = new FakeConnection().on('config/setRoutes', applied);
    const { send } = panel(connection, { sections: ['routes'] });
    const bad = await send({ type: 'setRoutes', id: 24, routes: { think: '["a", ', background: 'glm' } });
    assert.ok(bad?.type === 'reply' && !bad.ok);
    assert.ok(bad.fieldErrors?.['routes.think']?.startsWith('Not valid JSON'));
    await send({
      type: 'setRoutes',
      id: 25,
      routes: {
        think: ' ["anthropic", "glm,glm-4.6"] ',
        background: '{"targets": ["a", "b"], "strategy": "round-robin"}',
      },
    });
    assert.deepEqual(connection.calls, [
      {
        method: 'config/setRoutes',
        params: {
          routes: {
            futureScenario: 'glm',
            think: ['anthropic', 'glm,glm-4.6'],
            background: { targets: ['a', 'b'], strategy: 'round-robin' },
          },
          dryRun: false,
        },
      },
    ]);
  });

  it('shows a refused route next to its scenario', async () => {
    const connection = new FakeConnection().on('config/setRoutes', () => {
      throw new CcrRpcError('config/setRoutes', ErrorCodes.CONFIG_INVALID, 'the change was not applied', {
        problems: [{ line: 12, column: 19, path: '$.routes.think', message: 'no endpoint is named "nope"' }],
      });
    });
    const reply = await panel(connection, { sections: ['routes'] }).send({
      type: 'setRoutes',
      id: 23,
      routes: { think: 'nope,x' },
    });
    assert.ok(reply?.type === 'reply' && !reply.ok);
    assert.deepEqual(reply.fieldErrors, { 'routes.think': 'no endpoint is named "nope"' });
  });

  it('turns routing on from the switch', async () => {
    const connection = new FakeConnection().on('claude/enable', () => ({
      settingsFile: '/home/dev/.claude/settings.json',
      enabled: true,
      routerBaseUrl: 'http://127.0.0.1:3456',
      keys: [],
      overrides: [],
      changedKeys: [],
      keptUserKeys: [],
      message: 'routing on: Claude Code now uses http://127.0.0.1:3456',
    }));
    const reply = await panel(connection).send({ type: 'setRouting', id: 21, on: true });
    assert.deepEqual(reply, {
      type: 'reply',
      id: 21,
      ok: true,
      message: 'routing on: Claude Code now uses http://127.0.0.1:3456',
    });
  });

  it('refuses changes while the router is not running, saying what to do', async () => {
    const { send } = panel(new FakeConnection(), { state: { kind: 'stopped' } });
    const reply = await send({ type: 'setDefaultEndpoint', id: 22, name: 'glm' });
    assert.ok(reply?.type === 'reply' && !reply.ok);
    assert.match(reply.message, /not running; start it first/);
  });

  it('runs the commands the page asks for', async () => {
    const { send, commands } = panel(new FakeConnection());
    await send({ type: 'command', command: 'showLogs' });
    assert.deepEqual(commands, ['showLogs']);
  });
});

describe('settings panel: what the page is sent', () => {
  it('sends state and stats on ready; keys only as names; capabilities as sections', async () => {
    const connection = new FakeConnection()
      .on('stats/summary', () => ({
        since: 1,
        total: {
          requests: 0,
          errors: 0,
          inputTokens: 0,
          outputTokens: 0,
          cacheReadTokens: 0,
          cacheCreationTokens: 0,
          cacheHits: 0,
        },
        byEndpoint: [],
        byModel: [],
        bySession: [],
      }))
      .on('stats/recentRequests', () => ({ requests: [] }));
    const { send, posted, apiKeys } = panel(connection, { sections: ['endpoints', 'routes'] });
    await apiKeys.set('glm', SECRET);
    await send({ type: 'ready' });
    const state = posted.find((m) => m.type === 'state');
    assert.ok(state?.type === 'state');
    assert.deepEqual(state.state.storedKeys, ['glm']);
    assert.deepEqual(state.state.sections, { routes: true, limits: false });
    assert.equal(state.state.router.baseUrl, 'http://127.0.0.1:3456');
    assert.ok(posted.some((m) => m.type === 'stats'));
    assert.deepEqual(connection.calls.find((c) => c.method === 'stats/recentRequests')?.params, { limit: 200 });
  });

  it('never sends an API key to the page, whatever the page asked', async () => {
    const connection = new FakeConnection()
      .on('config/addEndpoint', applied)
      .on('config/updateEndpoint', applied)
      .on('endpoints/test', () => ({ reachable: false, auth: 'UNKNOWN', models: [], message: 'cannot connect' }))
      .on('stats/summary', () => {
        throw new Error('no stats in this test');
      });
    const { send, posted } = panel(connection);
    await send({ type: 'saveEndpoint', id: 1, mode: 'add', form: form({ apiKey: SECRET }) });
    await send({ type: 'saveEndpoint', id: 2, mode: 'edit', form: form({ name: 'glm', apiKey: SECRET }) });
    await send({ type: 'testEndpoint', id: 3, name: 'x', form: form({ apiKey: SECRET }) });
    await send({ type: 'ready' });
    assert.ok(posted.length >= 4);
    assert.ok(!JSON.stringify(posted).includes(SECRET), 'a key reached the page');
  });
});

describe('endpoint form and field errors', () => {
  it('reads model lists, maps and headers, and sends a format only for custom endpoints', () => {
    const { settings } = settingsFromForm(
      form({ type: 'OPENAI', format: 'ANTHROPIC', models: 'a,\nb , ', headers: 'X-Title: ccr\nX-Other:  v:1 ' }),
    );
    assert.deepEqual(settings, {
      name: 'deepseek',
      type: 'OPENAI',
      baseUrl: 'https://api.deepseek.com/v1',
      headers: { 'X-Title': 'ccr', 'X-Other': 'v:1' },
      models: ['a', 'b'],
      modelMap: { 'claude-*': 'deepseek-chat' },
    });
    assert.equal(settingsFromForm(form({ format: 'ANTHROPIC' })).settings?.format, 'ANTHROPIC');
  });

  it('attributes problems of another endpoint, or of the file, to the form as a whole', () => {
    const problem = (path?: string) => ({ line: 1, column: 1, path, message: 'm' });
    assert.equal(fieldOfProblem(problem('$.endpoints[2].baseUrl'), 2), 'baseUrl');
    assert.equal(fieldOfProblem(problem('$.endpoints[1].baseUrl'), 2), 'form');
    assert.equal(fieldOfProblem(problem('$.endpoints[2].modelMap.claude-*'), 2), 'modelMap');
    assert.equal(fieldOfProblem(problem('$.cache.ttl'), undefined), 'cache.ttl');
    assert.equal(fieldOfProblem(problem('$.routes.background'), undefined), 'routes.background');
    assert.equal(fieldOfProblem(problem('$.routes'), undefined), 'routes');
    assert.equal(fieldOfProblem(problem(undefined), 2), 'form');
    assert.deepEqual(fieldErrorsOf(new Error('boom')), { form: 'boom' });
  });
});
