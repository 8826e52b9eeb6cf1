/**
 * End to end in a real VS Code: code-server with the built VSIX installed, driven by headless Chromium through
 * playwright-core, with a throw-away HOME, a router port of its own and a fake Anthropic upstream.
 *
 * It proves: the extension activates and starts the router; the status bar shows it; the status bar toggle turns
 * routing on and ~/.claude/settings.json gains our keys; toggling off restores the file byte for byte; the settings
 * panel shows a validation error next to the field, then adds an endpoint with an API key that the router serves (a
 * real request reaches the fake upstream with that key); the panel's stats count it; routing survives a window reload,
 * after which the window attaches to the same router; a second window attaches to it too (two windows, one router
 * process) and each shows what the other changes; closing the first leaves it serving the second; quitting VS Code
 * leaves it serving Claude Code in a terminal (a request sent as Claude Code sends it, with the base URL and token
 * from its settings, succeeds); with
 * "turn routing off" chosen, quitting VS Code restores settings.json byte for byte and the router exits; the key is in
 * no file and no log. A screenshot of the panel is saved under target/e2e.
 *
 * Bounded: each step waits a limited time, the whole run has a watchdog, and every process started is ended.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { FakeUpstream, freePort, postMessage } from '../test/support/fakeUpstream';
import { ensureTools } from './tools';
import { Workbench } from './workbench';

const extensionDir = path.resolve(__dirname, '..', '..');
/** The VSIX for this platform, with the Java runtime inside, when the build made one; else the universal one. */
const platformVsix = path.join(extensionDir, 'dist', `ccr-vscode-${process.platform}-${process.arch}.vsix`);
const bundlesJava = existsSync(platformVsix);
const vsix = bundlesJava ? platformVsix : path.join(extensionDir, 'dist', 'ccr-vscode.vsix');
const artifacts = path.join(extensionDir, 'target', 'e2e');
const TOOLS_TIMEOUT_MS = 20 * 60_000;
const RUN_TIMEOUT_MS = 10 * 60_000;
const SECRET = 'sk-e2e-7c41d0a9e3f2b865';
/** The user's own Claude Code settings, formatted their way: they must come back byte for byte. */
const USER_SETTINGS =
  '{\n\t"model": "opus",\n\t"env": { "FOO": "bar" },\n\t"permissions": { "allow": ["Bash(ls:*)"] }\n}\n';

const started = Date.now();
function log(line: string): void {
  console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
}

interface Run {
  tmp: string;
  home: string;
  userData: string;
  codeServer?: ChildProcess;
  browser?: BrowserContext;
  upstream?: FakeUpstream;
}

/** The run in progress, so that a signal can still end what it started. */
let current: Run | undefined;

async function main(): Promise<void> {
  if (!existsSync(vsix)) {
    throw new Error(`${vsix} is missing: build it first (npm run build && npm run package, or ./mvnw package)`);
  }
  mkdirSync(artifacts, { recursive: true });
  const tools = await ensureTools(log, TOOLS_TIMEOUT_MS);

  const tmp = mkdtempSync(path.join(tmpdir(), 'ccr-e2e-'));
  const run: Run = { tmp, home: path.join(tmp, 'home'), userData: path.join(tmp, 'user-data') };
  current = run;
  const watchdog = setTimeout(() => {
    log(`the run took longer than ${RUN_TIMEOUT_MS / 60_000} minutes; stopping everything`);
    void cleanUp(run).finally(() => process.exit(2));
  }, RUN_TIMEOUT_MS);
  let failed = false;
  try {
    await scenario(run, tools);
    log('all checks passed');
    saveOutputLogs(run);
  } catch (e) {
    failed = true;
    await saveFailureArtifacts(run).catch(() => undefined);
    throw e;
  } finally {
    clearTimeout(watchdog);
    await cleanUp(run);
    if (!failed && !process.env.CCR_E2E_KEEP) {
      rmSync(tmp, { recursive: true, force: true });
    } else {
      log(`kept ${tmp} for inspection`);
    }
  }
}

async function scenario(run: Run, tools: Awaited<ReturnType<typeof ensureTools>>): Promise<void> {
  const { tmp, home, userData } = run;
  const extensions = path.join(tmp, 'extensions');
  const workspace = path.join(tmp, 'workspace');
  const workspace2 = path.join(tmp, 'workspace-2');
  const settingsFile = path.join(home, '.claude', 'settings.json');
  const configFile = path.join(home, '.claude-code-router', 'config.json');
  for (const dir of [
    home,
    extensions,
    workspace,
    workspace2,
    path.join(userData, 'User'),
    path.join(home, '.claude'),
    path.dirname(configFile),
  ]) {
    mkdirSync(dir, { recursive: true });
  }
  run.upstream = await FakeUpstream.start();
  const routerPort = await freePort();
  const routerUrl = `http://127.0.0.1:${routerPort}`;
  writeFileSync(
    configFile,
    `{\n  "port": ${routerPort},\n  "endpoints": [\n    { "name": "anthropic", "type": "anthropic", "baseUrl": "https://api.anthropic.com/v1" }\n  ]\n}\n`,
  );
  writeFileSync(settingsFile, USER_SETTINGS);
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
    }),
  );

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${tools.nodeBin}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: home,
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
    CCR_HOME: '',
    CLAUDE_CONFIG_DIR: '',
  };
  log(`installing ${path.basename(vsix)} into code-server`);
  const install = spawnSync(
    tools.codeServer,
    ['--install-extension', vsix, '--extensions-dir', extensions, '--user-data-dir', userData],
    { env, encoding: 'utf8', timeout: 120_000 },
  );
  if (install.status !== 0) {
    throw new Error(
      `installing the VSIX failed (${install.status ?? install.signal}):\n${install.stdout}\n${install.stderr}`,
    );
  }

  const startVSCode = () => startCodeServer(run, tools.codeServer, env, extensions, workspace);
  let port = await startVSCode();

  log('opening the workbench in Chromium');
  run.browser = await chromium.launchPersistentContext(path.join(tmp, 'browser'), {
    executablePath: tools.chromium,
    env: { ...process.env, ...tools.chromiumEnv },
    headless: true,
    viewport: { width: 1280, height: 1900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = run.browser.pages()[0] ?? (await run.browser.newPage());
  page.setDefaultTimeout(20_000);
  const workbench = new Workbench(page);
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await workbench.waitUntilReady(90_000);

  await step('the extension activates and the status bar shows the router, routing off', async () => {
    await workbench.waitForStatus(/Claude: Direct/, 120_000);
  });
  const firstRouter = routerPid(home);
  log(`router pid ${firstRouter}`);
  if (bundlesJava) {
    await step('the router runs on the Java runtime inside the platform VSIX', () => {
      const installed = readdirSync(extensions).find((name) => name.startsWith('ccr-dev.ccr-vscode-'));
      check(installed !== undefined, `the extension is installed in ${extensions}`);
      const bundled = realpathSync(path.join(extensions, installed!, 'runtime', 'bin', 'java'));
      const running = realpathSync(`/proc/${firstRouter}/exe`);
      check(running === bundled, `the router (pid ${firstRouter}) runs ${running}, not ${bundled}`);
      check(
        outputLogs(userData).some((text) => text.includes(' from bundled: ')),
        'the log says the bundled Java is used',
      );
      return Promise.resolve();
    });
  }

  await step('the status bar toggle turns routing on: our keys in ~/.claude/settings.json', async () => {
    await workbench.statusItem().click();
    await workbench.pick('Turn routing on');
    await waitFor(
      () => readFileSync(settingsFile, 'utf8').includes(`"ANTHROPIC_BASE_URL": "${routerUrl}"`),
      20_000,
      'the base URL in the settings file',
    );
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as { env: Record<string, string>; model: string };
    check(settings.env.ANTHROPIC_BASE_URL === routerUrl, 'ANTHROPIC_BASE_URL points at the router');
    check(typeof settings.env.ANTHROPIC_AUTH_TOKEN === 'string', 'ANTHROPIC_AUTH_TOKEN is set');
    check(settings.env.FOO === 'bar' && settings.model === 'opus', "the user's own settings are kept");
    await workbench.waitForStatus(/Claude: Routed · anthropic/, 20_000);
  });

  await step('toggling off from the command palette restores the file byte for byte', async () => {
    await workbench.runCommand('Claude Code Router: Toggle Routing');
    await waitFor(() => readFileSync(settingsFile, 'utf8') === USER_SETTINGS, 20_000, 'the original settings file');
    await workbench.waitForStatus(/Claude: Direct/, 20_000);
  });

  const panel = workbench.panel();
  await step('the settings panel opens with the endpoints table', async () => {
    await workbench.runCommand('Claude Code Router: Open Settings Panel');
    await panel.locator('#endpoints-table tr[data-endpoint="anthropic"]').waitFor({ timeout: 30_000 });
    await panel.locator('#router-line', { hasText: routerUrl }).waitFor();
  });

  await step('an invalid base URL is refused by the router, with the error next to the field', async () => {
    await panel.locator('#add-endpoint').click();
    await panel.locator('#field-name').fill('fake');
    await panel.locator('#field-type').selectOption('ANTHROPIC');
    await panel.locator('#field-baseUrl').fill('ftp://127.0.0.1/v1');
    await panel.locator('#form-save').click();
    const error = panel.locator('#error-baseUrl');
    await error.filter({ hasText: 'ftp://127.0.0.1/v1' }).waitFor({ timeout: 20_000 });
    log(`  baseUrl error: ${(await error.textContent())?.trim()}`);
    check(!existsSync(configFile) || !readFileSync(configFile, 'utf8').includes('"fake"'), 'nothing was written');
  });

  await step('the panel adds the endpoint with its API key; the key goes to the secret storage only', async () => {
    await panel.locator('#field-baseUrl').fill(run.upstream!.baseUrl);
    await panel.locator('#field-apiKey').fill(SECRET);
    await panel.locator('#form-save').click();
    await panel.locator('#endpoints-table tr[data-endpoint="fake"]').waitFor({ timeout: 20_000 });
    await panel.locator('#endpoints-table tr[data-endpoint="fake"] td', { hasText: 'stored in VS Code' }).waitFor();
    const config = readFileSync(configFile, 'utf8');
    check(config.includes(run.upstream!.baseUrl), 'the endpoint is in the config file');
    check(!config.includes(SECRET), 'the key is not in the config file');
  });

  // Requests as Claude Code sends them: streamed. Each answer's usage is 12 tokens in, 6 out.
  // `applying`: the change that routes this request was written a moment ago and may not be in force yet; until it
  // is, the router answers locally (no key for its Anthropic endpoint) and nothing reaches the fake upstream.
  const ask = async (model: string, what: string, applying = false) => {
    const deadline = Date.now() + 20_000;
    let answer = await postMessage(routerUrl, model, { stream: true });
    while (applying && answer.status === 401 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await postMessage(routerUrl, model, { stream: true });
    }
    check(answer.status === 200, `${what} succeeded (HTTP ${answer.status}: ${answer.body.slice(0, 300)})`);
    check(answer.body.includes('hello from the fake upstream'), `${what} was answered by the fake upstream`);
    check(answer.body.includes('event: message_stop'), `${what}: the stream came through whole`);
    const last = run.upstream!.requests.filter((r) => r.method === 'POST').at(-1);
    check(last?.headers['x-api-key'] === SECRET, `${what} carried the key from the secret storage`);
  };

  await step('the router serves the new endpoint: a real request reaches the fake upstream with the key', async () => {
    await ask('fake,claude-e2e-model', 'the request naming endpoint,model');
  });

  await step('a scenario route set in the panel is validated, written and followed', async () => {
    const background = panel.locator('#scenario-routes input[name="background"]');
    await background.fill('nope');
    await panel.locator('#scenario-routes button', { hasText: 'Save routes' }).click();
    const error = panel.locator('[data-field="routes.background"]');
    await error.filter({ hasText: /nope/ }).waitFor({ timeout: 20_000 });
    log(`  route error: ${(await error.textContent())?.trim()}`);
    await background.fill('fake');
    await panel.locator('#scenario-routes button', { hasText: 'Save routes' }).click();
    await waitFor(
      () => /"background"\s*:\s*"fake"/.test(readFileSync(configFile, 'utf8')),
      20_000,
      'the route in the file',
    );
    await ask('claude-haiku-4-5-20251001', 'a background (Haiku-class) request', true);
  });

  await step('the panel makes the endpoint the default, and the router sends requests there', async () => {
    await panel.locator('#endpoints-table tr[data-endpoint="fake"] button', { hasText: 'Make default' }).click();
    await panel
      .locator('#endpoints-table tr[data-endpoint="fake"] .badge', { hasText: 'default' })
      .waitFor({ timeout: 20_000 });
    await workbench.waitForStatus(/Claude: Direct/, 10_000);
    await ask('claude-sonnet-4-5', 'a request for the default endpoint');
    check(run.upstream!.requests.filter((r) => r.method === 'POST').length === 3, 'the upstream got all three');
  });

  await step('the panel shows the requests in its live stats', async () => {
    await panel.locator('#stat-requests .tile-value', { hasText: /^3$/ }).waitFor({ timeout: 20_000 });
    await panel.locator('#stat-tokens .tile-value', { hasText: '36 / 18' }).waitFor({ timeout: 20_000 });
    await panel
      .locator('#endpoints-table tr[data-endpoint="fake"] td.num', { hasText: /^3$/ })
      .waitFor({ timeout: 20_000 });
    // Room for the panel: no side bars, no toasts over it.
    await workbench.runCommand('View: Close Primary Side Bar');
    await workbench.runCommand('Notifications: Clear All Notifications');
    await panel.locator('#stats .chart-box').first().waitFor();
    const screenshot = path.join(artifacts, 'settings-panel.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    log(`  screenshot: ${screenshot}`);
  });

  await step(
    'the panel switch turns routing on; it survives a window reload, and the reloaded window attaches to the same router',
    async () => {
      await panel.locator('#routing-switch').check();
      await waitFor(() => readFileSync(settingsFile, 'utf8').includes(routerUrl), 20_000, 'routing on');
      await workbench.waitForStatus(/Claude: Routed · fake/, 20_000);
      await workbench.runCommand('Developer: Reload Window');
      // The window lets the router go through the protocol (deactivate), and it keeps serving.
      await waitFor(
        () => outputLogs(userData).some((log) => log.includes(`detached from the router (pid ${firstRouter})`)),
        30_000,
        "the first window's log to say it detached",
      );
      await workbench.waitUntilReady(90_000);
      await waitFor(
        () =>
          outputLogs(userData).some(
            (log) => log.includes('attached to the router') && log.includes(`(pid ${firstRouter}, protocol`),
          ),
        120_000,
        'the reloaded window to attach to the same router',
      );
      await workbench.waitForStatus(/Claude: Routed · fake/, 60_000);
      check(isAlive(firstRouter), `the router (pid ${firstRouter}) outlived the reload`);
      check(routerPid(home) === firstRouter, 'the same router serves');
      const answer = await postMessage(routerUrl, 'fake,claude-e2e-model');
      check(answer.status === 200, 'it serves, with the key from the secret storage');
    },
  );

  await step('toggling off after the reload still restores the file byte for byte', async () => {
    await workbench.runCommand('Claude Code Router: Toggle Routing');
    await waitFor(() => readFileSync(settingsFile, 'utf8') === USER_SETTINGS, 20_000, 'the original settings file');
    await workbench.waitForStatus(/Claude: Direct/, 20_000);
  });

  await step('a palette command with a quick pick chooses the default endpoint', async () => {
    await workbench.runCommand('Claude Code Router: Choose Default Endpoint…');
    await workbench.pickLabel('anthropic');
    await waitFor(
      () => /"defaultEndpoint"\s*:\s*"anthropic"/.test(readFileSync(configFile, 'utf8')),
      20_000,
      'the default endpoint in the config file',
    );
  });

  const second = await step(
    'a second window attaches to the same router: two windows, one router process',
    async () => {
      const page2 = await run.browser!.newPage();
      page2.setDefaultTimeout(20_000);
      const window2 = new Workbench(page2);
      await page2.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace2)}`);
      await window2.waitUntilReady(90_000);
      await window2.waitForStatus(/Claude: Direct/, 120_000);
      const routers = routerProcesses(extensions);
      check(
        routers.length === 1 && routers[0] === firstRouter,
        `one router process for both windows (found: ${routers.join(', ') || 'none'})`,
      );
      // What one window changes, the other shows at once: pushed by the one router.
      await window2.runCommand('Claude Code Router: Toggle Routing');
      await workbench.waitForStatus(/Claude: Routed · anthropic/, 20_000);
      await window2.runCommand('Claude Code Router: Choose Default Endpoint…');
      await window2.pickLabel('fake');
      await workbench.waitForStatus(/Claude: Routed · fake/, 20_000);
      await window2.waitForStatus(/Claude: Routed · fake/, 20_000);
      return window2;
    },
  );

  await step('closing the first window leaves the router serving the other', async () => {
    await page.close();
    await new Promise((resolve) => setTimeout(resolve, 6_000)); // past the grace time: that window is gone
    check(isAlive(firstRouter), 'the router still runs');
    await second.waitForStatus(/Claude: Routed · fake/, 10_000);
    const answer = await postMessage(routerUrl, 'fake,claude-e2e-model', { stream: true });
    check(answer.status === 200 && answer.body.includes('event: message_stop'), 'the router still serves');
  });

  await step('quitting VS Code leaves the router serving Claude Code in a terminal', async () => {
    await second.page.close();
    await stopCodeServer(run);
    // Past the router's ten seconds of waiting for a window to come back.
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    check(isAlive(firstRouter), `the router (pid ${firstRouter}) keeps serving after VS Code quit`);
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as { env: Record<string, string> };
    check(settings.env.ANTHROPIC_BASE_URL === routerUrl, 'Claude Code is still routed through it');
    // As Claude Code sends it: the base URL and token from its settings, streamed.
    const answer = await postMessage(settings.env.ANTHROPIC_BASE_URL, 'claude-sonnet-4-5', {
      stream: true,
      headers: { authorization: `Bearer ${settings.env.ANTHROPIC_AUTH_TOKEN}` },
    });
    check(
      answer.status === 200,
      `a request through the router succeeded (HTTP ${answer.status}: ${answer.body.slice(0, 300)})`,
    );
    check(answer.body.includes('hello from the fake upstream'), 'the upstream answered it');
    check(answer.body.includes('event: message_stop'), 'the stream came through whole');
    const last = run.upstream!.requests.filter((r) => r.method === 'POST').at(-1);
    check(last?.headers['x-api-key'] === SECRET, 'with the key from the secret storage, which the router kept');
  });

  await step('with "turn routing off" chosen, quitting VS Code restores settings.json byte for byte', async () => {
    const userSettings = path.join(userData, 'User', 'settings.json');
    writeFileSync(
      userSettings,
      JSON.stringify({
        ...JSON.parse(readFileSync(userSettings, 'utf8')),
        'ccr.router.whenVSCodeCloses': 'turnRoutingOff',
      }),
    );
    port = await startVSCode();
    const page3 = await run.browser!.newPage();
    page3.setDefaultTimeout(20_000);
    const window3 = new Workbench(page3);
    await page3.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await window3.waitUntilReady(90_000);
    await window3.waitForStatus(/Claude: Routed · fake/, 120_000);
    check(
      routerProcesses(extensions).join() === String(firstRouter),
      'the new window attached to the router that kept serving',
    );
    check(readFileSync(settingsFile, 'utf8') !== USER_SETTINGS, 'routing is on');
    await page3.close();
    await stopCodeServer(run);
    await waitFor(() => readFileSync(settingsFile, 'utf8') === USER_SETTINGS, 40_000, 'the original settings file');
    await waitFor(() => !isAlive(firstRouter), 20_000, `the router (pid ${firstRouter}) to exit`);
    check(routerProcesses(extensions).length === 0, 'no router is left running');
  });

  await step('the key is in no file: not the config, not the settings, not a log', async () => {
    const leaks = filesContaining([home, userData, path.join(tmp, 'xdg-data'), path.join(tmp, 'xdg-config')], SECRET);
    check(leaks.length === 0, `the key appears in: ${leaks.join(', ')}`);
    const outputLogs = filesNamed(userData, /Claude Code Router\.log$/);
    log(`  output channel logs checked: ${outputLogs.length}`);
  });
}

/** Starts code-server (a real VS Code) in a process group of its own, so stopping it ends its whole tree at once. */
async function startCodeServer(
  run: Run,
  codeServer: string,
  env: NodeJS.ProcessEnv,
  extensions: string,
  workspace: string,
): Promise<number> {
  const port = await freePort();
  log(`starting code-server on port ${port}`);
  const codeServerLog = path.join(artifacts, 'code-server.log');
  writeFileSync(codeServerLog, '', { flag: 'a' });
  run.codeServer = spawn(
    codeServer,
    [
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      // A closed browser tab ends its window (extension host included) after this long, as closing a desktop window does.
      '--reconnection-grace-time',
      '2',
      '--user-data-dir',
      run.userData,
      '--extensions-dir',
      extensions,
      workspace,
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  for (const stream of [run.codeServer.stdout!, run.codeServer.stderr!]) {
    stream.on('data', (chunk: Buffer) => writeFileSync(codeServerLog, chunk, { flag: 'a' }));
  }
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
  return port;
}

/** Quits VS Code: code-server and everything in its process group end; a shared router, in a session of its own, not. */
async function stopCodeServer(run: Run): Promise<void> {
  const group = run.codeServer?.pid;
  if (group !== undefined && run.codeServer?.exitCode === null) {
    signalGroup(group, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && groupAlive(group)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (groupAlive(group)) {
      log('code-server did not stop on SIGTERM; killing its process group');
      signalGroup(group, 'SIGKILL');
    }
  }
  run.codeServer = undefined;
}

/** The routers running from the installed extension's jar (found by their command lines, as `ps` would). */
function routerProcesses(extensions: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return cmdline.some((arg) => arg.startsWith(extensions) && arg.endsWith('ccr.jar')) && cmdline.includes('lsp');
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
  const at = Date.now();
  log(`▶ ${name}`);
  const result = await body();
  log(`✔ ${name} (${((Date.now() - at) / 1000).toFixed(1)} s)`);
  return result;
}

function check(condition: boolean, what: string): void {
  if (!condition) {
    throw new Error(`check failed: ${what}`);
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (condition()) return;
    } catch {
      // a file being replaced; look again
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs / 1000} s (see ${artifacts}/code-server.log)`);
}

/** The pid of the running router, from the state file each ccr writes for `ccr status`. */
function routerPid(home: string): number {
  const run = path.join(home, '.claude-code-router', 'run');
  const states = existsSync(run) ? readdirSync(run).filter((f) => f.endsWith('.json')) : [];
  for (const file of states) {
    const state = JSON.parse(readFileSync(path.join(run, file), 'utf8')) as { pid: number; mode: string };
    if (state.mode === 'lsp' && isAlive(state.pid)) {
      return state.pid;
    }
  }
  throw new Error(`no running router recorded in ${run}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory() ? walk(file) : stat.isFile() && stat.size < 50_000_000 ? [file] : [];
  });
}

function filesContaining(dirs: string[], needle: string): string[] {
  return dirs.flatMap(walk).filter((file) => readFileSync(file).includes(needle));
}

/** The output channel log of each window so far. */
function outputLogs(userData: string): string[] {
  return filesNamed(userData, /Claude Code Router\.log$/).map((file) => readFileSync(file, 'utf8'));
}

function filesNamed(dir: string, pattern: RegExp): string[] {
  return walk(dir).filter((file) => pattern.test(file));
}

async function saveFailureArtifacts(run: Run): Promise<void> {
  const page = run.browser?.pages()[0];
  if (page) {
    await page.screenshot({ path: path.join(artifacts, 'failure.png'), fullPage: true }).catch(() => undefined);
    const notifications = await new Workbench(page).notifications();
    if (notifications.length) log(`notifications on screen: ${notifications.join(' | ')}`);
    log(`status bar: "${await new Workbench(page).statusText()}"`);
  }
  saveOutputLogs(run);
}

/** The extension's output channel of each window, for the record (they hold no secret: the run checks that). */
function saveOutputLogs(run: Run): void {
  filesNamed(run.userData, /Claude Code Router\.log$/)
    .sort()
    .forEach((file, i) => writeFileSync(path.join(artifacts, `output-channel-${i + 1}.log`), readFileSync(file)));
}

/**
 * Ends everything this run started: the browser, code-server's process group, the routers (which live in sessions of
 * their own, to outlive VS Code), the upstream.
 */
async function cleanUp(run: Run): Promise<void> {
  await run.browser?.close().catch(() => undefined);
  run.browser = undefined;
  await stopCodeServer(run);
  for (const pid of routerProcesses(path.join(run.tmp, 'extensions'))) {
    log(`stopping the router (pid ${pid}) left running`);
    signalGroup(pid, 'SIGTERM');
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone already
    }
  }
  await run.upstream?.stop().catch(() => undefined);
  run.upstream = undefined;
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // already gone
  }
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping everything`);
    void (current ? cleanUp(current) : Promise.resolve()).finally(() => process.exit(130));
  });
}
main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`[e2e] FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
