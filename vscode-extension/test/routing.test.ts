/**
 * Settings handling: routing on and off through the sidecar's claude/* methods, the Claude Code extension's setting and
 * the terminals' variables recorded and restored exactly (also when the user changed them in between, or when the
 * extension is missing), and routing kept in step after changes made elsewhere.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClaudeCodeExtension, type GlobalSetting } from '../src/claude/claudeCodeExtension';
import { RouterNotRunningError, RoutingController } from '../src/claude/routingController';
import { MemoryLogger } from '../src/log';
import type { ClaudeSettingsResult } from '../src/protocol/protocol';
import type { RouterSession } from '../src/sidecar/routerService';
import { FakeConnection, fakeSession, MemoryState } from './support/fakeSession';

class MemorySetting<T> implements GlobalSetting<T> {
  writes: (T | undefined)[] = [];
  constructor(public value: T | undefined) {}
  read(): T | undefined {
    return this.value;
  }
  async write(value: T | undefined): Promise<void> {
    this.writes.push(value);
    this.value = value;
  }
}

class MemoryTerminals {
  variables = new Map<string, string>();
  replace(variable: string, value: string): void {
    this.variables.set(variable, value);
  }
  clear(): void {
    this.variables.clear();
  }
}

function extensionWith(setting: MemorySetting<boolean>, installed = { value: true }) {
  const terminals = new MemoryTerminals();
  const state = new MemoryState();
  const extension = new ClaudeCodeExtension({
    isInstalled: () => installed.value,
    disableLoginPrompt: setting,
    terminals,
    state,
  });
  return { extension, terminals, state };
}

function settingsResult(overrides: Partial<ClaudeSettingsResult> = {}): ClaudeSettingsResult {
  return {
    settingsFile: '/home/dev/.claude/settings.json',
    enabled: true,
    routerBaseUrl: 'http://127.0.0.1:3456',
    keys: [],
    overrides: [],
    changedKeys: ['ANTHROPIC_BASE_URL', 'ANTHROPIC_AUTH_TOKEN'],
    keptUserKeys: [],
    message: 'routing on: Claude Code now uses http://127.0.0.1:3456',
    ...overrides,
  };
}

describe('the Claude Code extension’s settings', () => {
  it('records the user’s value, sets it, and puts it back exactly', async () => {
    for (const before of [undefined, false, true]) {
      const setting = new MemorySetting<boolean>(before);
      const { extension, terminals } = extensionWith(setting);
      await extension.apply('http://127.0.0.1:3456');
      assert.equal(setting.value, true);
      assert.equal(terminals.variables.get('ANTHROPIC_BASE_URL'), 'http://127.0.0.1:3456');
      const restored = await extension.restore();
      assert.equal(setting.value, before, `restored to ${String(before)}`);
      assert.deepEqual(restored, { restored: ['claudeCode.disableLoginPrompt'], kept: [] });
      assert.equal(terminals.variables.size, 0);
      assert.equal(extension.applied, false);
      if (before === true) {
        assert.deepEqual(setting.writes, [], 'nothing written when the value was already true');
      }
    }
  });

  it('keeps the first record when applied again (the router moved)', async () => {
    const setting = new MemorySetting<boolean>(false);
    const { extension, terminals } = extensionWith(setting);
    await extension.apply('http://127.0.0.1:3456');
    await extension.apply('http://127.0.0.1:4000');
    assert.equal(terminals.variables.get('ANTHROPIC_BASE_URL'), 'http://127.0.0.1:4000');
    await extension.restore();
    assert.equal(setting.value, false);
  });

  it('keeps a value the user changed while routing was on', async () => {
    const setting = new MemorySetting<boolean>(undefined);
    const { extension } = extensionWith(setting);
    await extension.apply('http://127.0.0.1:3456');
    setting.value = false; // the user turned the login prompt back on by hand
    const restored = await extension.restore();
    assert.equal(setting.value, false);
    assert.deepEqual(restored, { restored: [], kept: ['claudeCode.disableLoginPrompt'] });
  });

  it('touches nothing of the Claude Code extension when it is not installed', async () => {
    const setting = new MemorySetting<boolean>(undefined);
    const { extension, terminals } = extensionWith(setting, { value: false });
    assert.deepEqual(await extension.apply('http://127.0.0.1:3456'), []);
    assert.deepEqual(setting.writes, []);
    assert.equal(terminals.variables.size, 0);
  });

  it('keeps its record while the extension is gone, and restores once it is back', async () => {
    const installed = { value: true };
    const setting = new MemorySetting<boolean>(false);
    const { extension } = extensionWith(setting, installed);
    await extension.apply('http://127.0.0.1:3456');
    installed.value = false;
    await extension.restore();
    assert.equal(extension.applied, true);
    installed.value = true;
    await extension.restore();
    assert.equal(setting.value, false);
    assert.equal(extension.applied, false);
  });
});

describe('routing controller', () => {
  function controller(session: RouterSession | undefined, configure = true) {
    const setting = new MemorySetting<boolean>(undefined);
    const { extension, terminals } = extensionWith(setting);
    const routing = new RoutingController({
      session: () => session,
      claudeCodeExtension: extension,
      configureExtension: () => configure,
      logger: new MemoryLogger(),
    });
    return { routing, setting, terminals, extension };
  }

  it('turns routing on through claude/enable, then the VS Code side, and off in reverse', async () => {
    const connection = new FakeConnection()
      .on('claude/enable', () => settingsResult())
      .on('claude/disable', () => settingsResult({ enabled: false, message: 'routing off: restored' }));
    const { routing, setting, terminals } = controller(fakeSession(connection));
    const on = await routing.turnOn();
    assert.deepEqual(connection.calls, [{ method: 'claude/enable', params: {} }]);
    assert.equal(setting.value, true);
    assert.equal(terminals.variables.get('ANTHROPIC_BASE_URL'), 'http://127.0.0.1:3456');
    assert.match(
      on.message,
      /^routing on: .* \(also set claudeCode\.disableLoginPrompt and ANTHROPIC_BASE_URL in new terminals\)$/,
    );
    assert.equal(on.warning, false);

    const off = await routing.turnOff();
    assert.deepEqual(connection.methods(), ['claude/enable', 'claude/disable']);
    assert.equal(setting.value, undefined);
    assert.equal(terminals.variables.size, 0);
    assert.match(off.message, /restored claudeCode\.disableLoginPrompt/);
  });

  it('leaves VS Code alone when the user turned that off', async () => {
    const connection = new FakeConnection().on('claude/enable', () => settingsResult());
    const { routing, setting } = controller(fakeSession(connection), false);
    await routing.turnOn();
    assert.equal(setting.value, undefined);
  });

  it('warns when a project file overrides the router or a user value was kept', async () => {
    const connection = new FakeConnection().on('claude/enable', () =>
      settingsResult({
        overrides: [
          { file: '/p/.claude/settings.local.json', scope: 'LOCAL', key: 'ANTHROPIC_BASE_URL', sameAsRouter: false },
        ],
      }),
    );
    const { routing } = controller(fakeSession(connection));
    assert.equal((await routing.turnOn()).warning, true);
  });

  it('toggles by the routing state the server reports', async () => {
    const connection = new FakeConnection()
      .on('claude/enable', () => settingsResult())
      .on('claude/disable', () => settingsResult({ enabled: false }));
    await controller(fakeSession(connection, { routing: 'OFF' })).routing.toggle();
    await controller(fakeSession(connection, { routing: 'ON' })).routing.toggle();
    await controller(fakeSession(connection, { routing: 'OVERRIDDEN' })).routing.toggle();
    assert.deepEqual(connection.methods(), ['claude/enable', 'claude/disable', 'claude/disable']);
  });

  it('says how to get there when the router is not running', async () => {
    await assert.rejects(controller(undefined).routing.turnOn(), RouterNotRunningError);
    await assert.rejects(controller(undefined).routing.toggle(), /Start it \(Claude Code Router: Start Router\)/);
  });

  it('follows the router to another port when the settings still hold ccr’s old, unchanged URL', async () => {
    const connection = new FakeConnection()
      .on('claude/status', () =>
        settingsResult({
          routerBaseUrl: 'http://127.0.0.1:4000',
          keys: [{ name: 'ANTHROPIC_BASE_URL', state: 'ROUTER', value: 'http://127.0.0.1:3456' }],
        }),
      )
      .on('claude/enable', () => settingsResult({ routerBaseUrl: 'http://127.0.0.1:4000' }));
    const { routing, setting } = controller(
      fakeSession(connection, { routing: 'OFF', baseUrl: 'http://127.0.0.1:4000' }),
    );
    await routing.reconcile();
    assert.deepEqual(connection.methods(), ['claude/status', 'claude/enable']);
    assert.equal(setting.value, true);
  });

  it('does not override a base URL the user changed, nor routing someone turned off', async () => {
    for (const status of [
      settingsResult({ keys: [{ name: 'ANTHROPIC_BASE_URL', state: 'USER', value: 'https://gateway.example.com' }] }),
      settingsResult({ enabled: false, keys: [{ name: 'ANTHROPIC_BASE_URL', state: 'ABSENT' }] }),
    ]) {
      const connection = new FakeConnection().on('claude/status', () => status);
      await controller(fakeSession(connection, { routing: 'OFF' })).routing.reconcile();
      assert.deepEqual(connection.methods(), ['claude/status']);
    }
  });

  it('brings the VS Code side in step with routing turned on or off elsewhere', async () => {
    const on = controller(fakeSession(new FakeConnection(), { routing: 'ON' }));
    await on.routing.reconcile();
    assert.equal(on.setting.value, true, 'applied for routing turned on by `ccr claude enable`');

    const connection = new FakeConnection().on('claude/status', () =>
      settingsResult({ enabled: false, keys: [{ name: 'ANTHROPIC_BASE_URL', state: 'ABSENT' }] }),
    );
    const off = controller(fakeSession(connection, { routing: 'OFF' }));
    await off.extension.apply('http://127.0.0.1:3456');
    await off.routing.reconcile();
    assert.equal(off.setting.value, undefined, 'restored for routing turned off by another window');

    const unwanted = controller(fakeSession(new FakeConnection(), { routing: 'ON' }), false);
    await unwanted.extension.apply('http://127.0.0.1:3456');
    await unwanted.routing.reconcile();
    assert.equal(unwanted.setting.value, undefined, 'restored once the user turned configureExtension off');
  });
});
