/**
 * The launcher: Java discovery wired in, the exact command line and the server's stderr in the log, the handshake,
 * restart after a crash with backoff, the crash-loop limit, no restart after an OOM or an incompatible server, a clean
 * stop, and a process that will not die. The sidecar is a small Node script speaking the protocol's lifecycle
 * (support/fakeSidecar.ts); the real jar is exercised in rpc.it.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { JavaDiscovery, JavaDiscoveryOptions } from '../src/java/javaRuntime';
import { MemoryLogger } from '../src/log';
import { PROTOCOL_VERSION } from '../src/protocol/protocol';
import { parseVmArgs, printable, sidecarCommand } from '../src/sidecar/commandLine';
import { RestartPolicy } from '../src/sidecar/restartPolicy';
import { isOlder, RouterService, type RouterState } from '../src/sidecar/routerService';
import { SidecarProcess } from '../src/sidecar/sidecarProcess';

const fakeSidecar = path.join(__dirname, 'support', 'fakeSidecar.js');
const fakeJava: JavaDiscovery = {
  found: true,
  runtime: { executable: '/opt/jdk/bin/java', version: '17.0.15', major: 17, source: 'PATH' },
};

interface Harness {
  service: RouterService;
  logger: MemoryLogger;
  states: RouterState['kind'][];
  dir: string;
  starts(): number;
  received(): string[];
}

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    await h.service.stop();
    h.service.dispose();
    rmSync(h.dir, { recursive: true, force: true });
  }
});

function harness(mode: string, options: { initializeTimeoutMs?: number; java?: JavaDiscovery } = {}): Harness {
  const dir = mkdtempSync(path.join(tmpdir(), 'ccr-router-test-'));
  const logger = new MemoryLogger();
  const states: RouterState['kind'][] = [];
  const service = new RouterService({
    jar: '/does/not/matter.jar',
    clientVersion: '0.1.0-test',
    logger,
    settings: () => ({ workspaceFolders: ['/work/project'], trace: false }),
    apiKey: async () => undefined,
    restartPolicy: new RestartPolicy({ maxCrashes: 5, windowMs: 60_000, firstDelayMs: 20, maxDelayMs: 200 }),
    initializeTimeoutMs: options.initializeTimeoutMs,
    // Nothing listens there: each start launches the fake sidecar.
    socket: () => path.join(dir, 'no-router.sock'),
    replacementWaitMs: 100,
    findJava: async () => options.java ?? fakeJava,
    command: () => ({ executable: process.execPath, args: [fakeSidecar, mode, dir] }),
  });
  service.onDidChangeState((state) => states.push(state.kind));
  const lines = (file: string) =>
    existsSync(path.join(dir, file)) ? readFileSync(path.join(dir, file), 'utf8').split('\n').filter(Boolean) : [];
  const h = { service, logger, states, dir, starts: () => lines('starts').length, received: () => lines('received') };
  harnesses.push(h);
  return h;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('router service', () => {
  it('starts the sidecar, logs its command line and stderr, and completes the handshake', async () => {
    const h = harness('serve');
    await h.service.start();
    const session = h.service.session;
    assert.ok(session, `not running: ${JSON.stringify(h.service.state)}`);
    assert.equal(session.serverVersion, '9.9.9-fake');
    assert.equal(session.java?.version, '17.0.15');
    assert.ok(h.logger.lines.includes(`INFO starting the router: ${process.execPath} ${fakeSidecar} serve ${h.dir}`));
    await until(() => h.logger.lines.some((l) => l.startsWith('SERVER') && l.includes('in mode serve')), 'stderr');

    const initialize = h.received().find((line) => line.startsWith('initialize '));
    assert.deepEqual(JSON.parse(initialize!.slice('initialize '.length)), {
      protocolVersion: PROTOCOL_VERSION,
      clientName: 'ccr-vscode',
      clientVersion: '0.1.0-test',
      capabilities: { apiKeys: true, requestNotifications: true, endpointTestProgress: true },
      workspaceFolders: ['/work/project'],
      preferences: { whenEditorsClose: 'KEEP_SERVING' },
    });
    // The status pushed after the handshake replaces the one in the answer.
    await until(() => h.service.session?.status.routing === 'ON', 'the pushed status');
  });

  it('runs one-off commands on the Java the extension carries, as it runs the router', async () => {
    // "Turn routing off" with no router runs `ccr claude disable`: on a machine whose only Java is the one inside the
    // extension, it must find that one, or Claude Code stays pointed at a router that is not running.
    const asked: JavaDiscoveryOptions[] = [];
    const service = new RouterService({
      jar: '/does/not/matter.jar',
      clientVersion: '0.1.0-test',
      logger: new MemoryLogger(),
      settings: () => ({ workspaceFolders: [], trace: false }),
      apiKey: async () => undefined,
      bundledJavaHome: '/extension/runtime',
      findJava: async (options) => {
        asked.push(options);
        return { found: false, settingIsWrong: false, message: 'no Java here' };
      },
    });
    try {
      await assert.rejects(service.runCommand(['claude', 'disable']), /no Java here/);
      assert.equal(asked[0]?.bundledJavaHome, '/extension/runtime');
    } finally {
      service.dispose();
    }
  });

  it('stops cleanly: router/stop for every window, and no restart', async () => {
    const h = harness('serve');
    await h.service.start();
    assert.equal(h.service.state.kind, 'running');
    await h.service.stop();
    assert.deepEqual(h.received().slice(1), ['router/stop {"reason":"STOP_REQUESTED"}']);
    assert.equal(h.service.state.kind, 'stopped');
    assert.ok(h.logger.lines.some((l) => l.includes('the router stopped (exit status 0)')));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(h.starts(), 1);
  });

  it('says a restart replaces the router, so nothing warns that Claude Code is routed to nothing', async () => {
    const h = harness('serve');
    await h.service.start();
    const seen: RouterState[] = [];
    h.service.onDidChangeState((state) => seen.push(state));
    await h.service.restart();
    assert.equal(h.service.state.kind, 'running');
    assert.deepEqual(
      seen.filter((state) => state.kind === 'stopped'),
      [{ kind: 'stopped', replacing: true }],
    );
    seen.length = 0;
    await h.service.stop();
    assert.deepEqual(seen, [{ kind: 'stopped' }], 'a stop asked for is no replacement');
  });

  it('restarts after a crash, with backoff, and recovers', async () => {
    const h = harness('crash-twice-then-serve');
    await h.service.start();
    await until(() => h.service.state.kind === 'running', 'running after two crashes');
    assert.equal(h.starts(), 3);
    assert.deepEqual(h.states, ['starting', 'restarting', 'starting', 'restarting', 'starting', 'running']);
    assert.ok(
      h.logger.lines.some((l) => l.includes('IllegalStateException: fake crash')),
      'stderr of the crash',
    );
    assert.ok(h.logger.lines.includes('ERROR the router stopped unexpectedly (exit status 1)'));
    assert.ok(h.logger.lines.includes('INFO restarting the router in 0.02 s'));
    assert.ok(h.logger.lines.includes('INFO restarting the router in 0.04 s'));
  });

  it('gives up after 5 crashes within the window and says so', async () => {
    const h = harness('crash');
    await h.service.start();
    await until(() => h.service.state.kind === 'failed', 'the crash-loop limit');
    assert.equal(h.starts(), 5);
    const state = h.service.state;
    assert.ok(state.kind === 'failed');
    assert.equal(state.problem, 'crashLoop');
    assert.match(state.message, /stopped unexpectedly 5 times within 3 minutes \(last: exit status 1\)/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(h.starts(), 5, 'no start after giving up');

    // Starting by hand gets a fresh set of attempts.
    await h.service.start();
    await until(() => h.service.state.kind === 'failed', 'the second crash loop');
    assert.equal(h.starts(), 10);
  });

  it('also counts a sidecar that dies after the handshake', async () => {
    const h = harness('crash-after-init');
    await h.service.start();
    await until(() => h.service.state.kind === 'restarting', 'a restart');
    assert.ok(h.logger.lines.includes('ERROR the router stopped unexpectedly (exit status 2)'));
  });

  it('does not restart after the JVM ran out of memory', async () => {
    const h = harness('oom');
    await h.service.start();
    await until(() => h.service.state.kind === 'failed', 'the OOM');
    const state = h.service.state;
    assert.ok(state.kind === 'failed' && state.problem === 'outOfMemory');
    assert.match(state.message, /ran out of memory.*ccr\.server\.vmargs/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(h.starts(), 1);
  });

  it('does not restart a server of another protocol major version', async () => {
    const h = harness('incompatible');
    await h.service.start();
    const state = h.service.state;
    assert.ok(state.kind === 'failed' && state.problem === 'incompatible', JSON.stringify(state));
    assert.match(state.message, /speaks protocol 2\.0/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(h.starts(), 1);
  });

  it('treats a handshake that never comes as a crash', async () => {
    const h = harness('silent', { initializeTimeoutMs: 300 });
    await h.service.start();
    assert.ok(
      h.logger.lines.includes("ERROR the router's handshake failed: the router did not answer the handshake in time"),
    );
    await until(() => h.starts() >= 2, 'a second start');
  });

  it('leaves the router stopped when another window stopped it, without counting a crash', async () => {
    const h = harness('stopped-elsewhere');
    await h.service.start();
    await until(() => h.service.state.kind === 'stopped', 'the stop');
    const state = h.service.state;
    assert.ok(state.kind === 'stopped');
    assert.equal(state.message, 'the router was stopped from ccr-vscode 0.1.0');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(h.starts(), 1, 'not started again');
    assert.ok(!h.logger.lines.some((l) => l.includes('stopped unexpectedly')));
  });

  it('gets the next router at once when the one it used is replaced', async () => {
    const h = harness('replaced-once');
    await h.service.start();
    await until(() => h.starts() === 2 && h.service.state.kind === 'running', 'the replacement');
    assert.ok(!h.logger.lines.some((l) => l.includes('stopped unexpectedly')));
    assert.ok(h.logger.lines.some((l) => l.includes('the router is being replaced')));
  });

  it('detaches from a shared router on close instead of stopping it', async () => {
    const h = harness('serve');
    await h.service.start();
    await h.service.detach();
    assert.equal(h.service.state.kind, 'stopped');
    // The router hears this window leave (exit, or its input closing) and is not stopped.
    await until(() => h.received().some((l) => l === 'exit' || l === 'stdin closed'), 'the window to leave');
    assert.equal(h.received()[1], 'shutdown');
    assert.ok(!h.received().some((l) => l.startsWith('router/stop')));
    assert.ok(h.logger.lines.some((l) => /detached from the router \(pid \d+\); it goes on serving/.test(l)));
    assert.ok(!h.logger.lines.some((l) => l.includes('stopping the router')));
  });

  it('reports a missing Java without starting anything', async () => {
    const h = harness('serve', {
      java: { found: false, settingIsWrong: false, message: 'Claude Code Router needs Java 17 or newer …' },
    });
    await h.service.start();
    const state = h.service.state;
    assert.ok(state.kind === 'failed' && state.problem === 'noJava');
    assert.equal(h.starts(), 0);
  });
});

describe('versions', () => {
  it('tells an older ccr, whose router a newer window replaces', () => {
    assert.ok(isOlder('0.1.0', '0.2.0'));
    assert.ok(isOlder('0.9.9', '0.10.0'));
    assert.ok(isOlder('0.2.0-SNAPSHOT', '0.2.0'));
    assert.ok(!isOlder('0.2.0', '0.2.0'));
    assert.ok(!isOlder('1.0.0', '0.9.0'));
    assert.ok(!isOlder('0.2.0', '0.2.0-SNAPSHOT'));
  });
});

describe('sidecar process', () => {
  it('ends a process that ignores its closed input and SIGTERM with SIGKILL', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ccr-stubborn-'));
    try {
      const logger = new MemoryLogger();
      const sidecar = SidecarProcess.start(
        { executable: process.execPath, args: [fakeSidecar, 'stubborn', dir] },
        { logger },
      );
      await until(() => logger.lines.some((l) => l.includes('in mode stubborn')), 'the process to start');
      const exit = await sidecar.terminate(300);
      assert.equal(exit.signal, 'SIGKILL');
      assert.ok(logger.lines.some((l) => l.includes('did not exit after its input closed; sending SIGTERM')));
      assert.ok(logger.lines.some((l) => l.includes('did not exit on SIGTERM; killing it')));
      assert.match(readFileSync(path.join(dir, 'received'), 'utf8'), /stdin closed\nSIGTERM/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a command that cannot be started', async () => {
    const sidecar = SidecarProcess.start({ executable: '/nonexistent/java', args: [] }, { logger: new MemoryLogger() });
    const exit = await sidecar.exited;
    assert.match(exit.spawnError?.message ?? '', /ENOENT/);
  });
});

describe('command line', () => {
  it('runs the jar as ccr lsp with stdout kept clean, the parent pid, options and the config file', () => {
    const command = sidecarCommand({
      java: '/opt/jdk 17/bin/java',
      jar: '/ext/server/ccr.jar',
      parentPid: 4242,
      vmArgs: ['-Xmx512m'],
      configFile: '/home/me/my config.json',
    });
    assert.equal(command.executable, '/opt/jdk 17/bin/java');
    assert.deepEqual(command.args, [
      '-Xlog:disable',
      '-Xlog:all=warning:stderr',
      '-XX:+UseSerialGC',
      '-Xms16m',
      '-Xmx256m',
      '-Xss512k',
      '-XX:+ExitOnOutOfMemoryError',
      '-Dio.netty.jfr.enabled=false',
      '-Xmx512m',
      '-jar',
      '/ext/server/ccr.jar',
      'lsp',
      '--parent-pid',
      '4242',
      '--config',
      '/home/me/my config.json',
    ]);
    assert.match(
      printable(command),
      /^'\/opt\/jdk 17\/bin\/java' -Xlog:disable .* lsp --parent-pid 4242 --config '\/home\/me\/my config.json'$/,
    );
  });

  it('takes JVM options from the setting and nothing else', () => {
    assert.deepEqual(parseVmArgs('-Xmx1g  "-Dccr.note=a b"'), { args: ['-Xmx1g', '-Dccr.note=a b'] });
    assert.deepEqual(parseVmArgs(''), { args: [] });
    assert.match(parseVmArgs('-Xmx1g -jar other.jar').problem ?? '', /"-jar" is not allowed/);
    assert.match(parseVmArgs('rm -rf').problem ?? '', /"rm" is not allowed/);
  });
});
