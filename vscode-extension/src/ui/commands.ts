import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { RoutingController, RoutingOutcome } from '../claude/routingController';
import { Methods, type ClaudeSettingsResult, type JsonValue } from '../protocol/protocol';
import { SCENARIOS } from '../panel/messages';
import {
  addEndpoint,
  clearApiKey,
  editEndpoint,
  pickEndpoint,
  removeEndpoint,
  requireSession,
  setApiKey,
  type WizardDeps,
} from './endpointWizard';
import { showFailure } from './notifications';
import type { OutputLog } from './outputLog';

export interface CommandDeps extends WizardDeps {
  readonly routing: RoutingController;
  readonly log: OutputLog;
  readonly openSettingsPanel: () => void;
}

/** Registers every command of the extension; each failure is shown with its message and a "Show Logs" button. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const command = (id: string, action: string, run: (...args: never[]) => Promise<unknown> | unknown) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        await run(...args);
      } catch (e) {
        deps.logger.error(`${action} failed: ${e instanceof Error ? e.message : String(e)}`);
        await showFailure(action, e);
      }
    });

  return [
    command('ccr.startRouter', 'Starting the router', () => deps.router.start(true)),
    command('ccr.stopRouter', 'Stopping the router', () => stopRouter(deps)),
    command('ccr.restartRouter', 'Restarting the router', () => deps.router.restart()),
    command('ccr.toggleRouting', 'Changing routing', async () => report(await deps.routing.toggle())),
    command('ccr.turnRoutingOff', 'Turning routing off', async () => report(await deps.routing.turnOff())),
    command('ccr.statusMenu', 'Router menu', () => statusMenu(deps)),
    command('ccr.addEndpoint', 'Adding an endpoint', () => addEndpoint(deps)),
    command('ccr.editEndpoint', 'Editing an endpoint', (name?: string) => editEndpoint(deps, name)),
    command('ccr.removeEndpoint', 'Removing an endpoint', () => removeEndpoint(deps)),
    command('ccr.setApiKey', 'Setting an API key', (name?: string) => setApiKey(deps, name)),
    command('ccr.clearApiKey', 'Clearing an API key', () => clearApiKey(deps)),
    command('ccr.testEndpoint', 'Testing an endpoint', (name?: string) => testEndpoint(deps, name)),
    command('ccr.chooseDefaultEndpoint', 'Choosing the default endpoint', () => chooseDefaultEndpoint(deps)),
    command('ccr.chooseScenarioRoutes', 'Choosing scenario routes', () => chooseScenarioRoute(deps)),
    command('ccr.showLogs', 'Showing the logs', () => deps.log.show()),
    command('ccr.openConfigFile', 'Opening the config file', () => openConfigFile(deps)),
    command('ccr.openSettingsPanel', 'Opening the settings panel', () => deps.openSettingsPanel()),
    command('ccr.showClaudeSettingsStatus', 'Reading Claude Code settings', () => showClaudeSettingsStatus(deps)),
  ];
}

/** Shows the outcome of a routing change; a warning when something overrides the router or was left as the user set it. */
async function report(outcome: RoutingOutcome): Promise<void> {
  if (outcome.warning) {
    const choice = await vscode.window.showWarningMessage(outcome.message, 'Show Details');
    if (choice === 'Show Details') {
      await vscode.commands.executeCommand('ccr.showClaudeSettingsStatus');
    }
  } else {
    void vscode.window.showInformationMessage(outcome.message);
  }
}

/** Stopping the router while Claude Code points at it breaks Claude Code: offer to turn routing off first. */
async function stopRouter(deps: CommandDeps): Promise<void> {
  const session = deps.router.session;
  if (session && deps.routing.isOn(session.status.routing)) {
    const choice = await vscode.window.showWarningMessage(
      'Claude Code sends its requests through this router; they fail while it is stopped.',
      { modal: true },
      'Turn Routing Off and Stop',
      'Stop Anyway',
    );
    if (!choice) {
      return;
    }
    if (choice === 'Turn Routing Off and Stop') {
      await report(await deps.routing.turnOff());
    }
  }
  await deps.router.stop();
}

/** The status bar click: the likely action first, so click and Enter toggles routing. */
async function statusMenu(deps: CommandDeps): Promise<void> {
  const session = deps.router.session;
  type Item = vscode.QuickPickItem & { command: string };
  const items: Item[] = [];
  if (session) {
    const on = deps.routing.isOn(session.status.routing);
    items.push({
      label: on ? '$(circle-slash) Turn routing off' : '$(arrow-swap) Turn routing on',
      detail: on
        ? 'Claude Code talks to Anthropic directly again; its settings are restored exactly'
        : `Claude Code sends its requests through ${session.status.baseUrl ?? 'the router'}`,
      command: 'ccr.toggleRouting',
    });
    items.push(
      { label: '$(settings-gear) Open settings panel', command: 'ccr.openSettingsPanel' },
      { label: '$(add) Add endpoint…', command: 'ccr.addEndpoint' },
      { label: '$(target) Choose default endpoint…', command: 'ccr.chooseDefaultEndpoint' },
      { label: '$(debug-restart) Restart router', command: 'ccr.restartRouter' },
    );
  } else {
    items.push({ label: '$(play) Start router', command: 'ccr.startRouter' });
    items.push({
      label: '$(circle-slash) Turn routing off',
      detail: 'Claude Code talks to Anthropic directly again; its settings are restored exactly',
      command: 'ccr.turnRoutingOff',
    });
  }
  items.push({ label: '$(output) Show logs', command: 'ccr.showLogs' });
  const picked = await vscode.window.showQuickPick(items, { title: 'Claude Code Router' });
  if (picked) {
    await vscode.commands.executeCommand(picked.command);
  }
}

async function testEndpoint(deps: CommandDeps, name?: string): Promise<void> {
  const session = requireSession(deps.router);
  const endpointName = name ?? (session ? (await pickEndpoint(deps, 'Test endpoint'))?.name : undefined);
  if (!session || !endpointName) {
    return;
  }
  const token = `command-${Date.now()}`;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Testing "${endpointName}"` },
    async (progress) => {
      const listening = deps.router.onEndpointTestProgress((step) => {
        if (step.progressToken === token) {
          progress.report({ message: `${step.step.toLowerCase().replace('_', ' ')}: ${step.message}` });
        }
      });
      try {
        return await session.connection.request(Methods.testEndpoint, { name: endpointName, progressToken: token });
      } finally {
        listening.dispose();
      }
    },
  );
  deps.logger.info(`test of endpoint "${endpointName}": ${result.message}`);
  if (result.reachable && result.auth !== 'REJECTED') {
    void vscode.window.showInformationMessage(result.message);
  } else {
    const choice = await vscode.window.showWarningMessage(result.message, 'Edit Endpoint', 'Set API Key');
    if (choice === 'Edit Endpoint') {
      await editEndpoint(deps, endpointName);
    } else if (choice === 'Set API Key') {
      await setApiKey(deps, endpointName);
    }
  }
}

async function chooseDefaultEndpoint(deps: CommandDeps): Promise<void> {
  const session = requireSession(deps.router);
  const endpoint =
    session && (await pickEndpoint(deps, 'Default endpoint: where requests go unless a route says otherwise'));
  if (!session || !endpoint) {
    return;
  }
  await session.connection.request(Methods.setDefaultEndpoint, { name: endpoint.name, dryRun: false });
  void vscode.window.showInformationMessage(`Requests now go to "${endpoint.name}" by default.`);
}

const SCENARIO_HELP: Record<(typeof SCENARIOS)[number], string> = {
  background: 'Haiku-class background requests (titles, summaries)',
  think: 'requests with extended thinking on',
  longContext: 'requests over the long-context threshold',
  webSearch: 'requests that use a web search tool',
  image: 'requests that carry images',
};

async function chooseScenarioRoute(deps: CommandDeps): Promise<void> {
  const session = requireSession(deps.router);
  if (!session) {
    return;
  }
  if (!session.capabilities.configSections.includes('routes')) {
    void vscode.window.showInformationMessage(
      `This router (ccr ${session.serverVersion}) has no scenario routes yet: every request goes to the default ` +
        'endpoint, unless Claude Code names one with /model <endpoint>,<model>.',
      { modal: false },
    );
    return;
  }
  const config = deps.config.current;
  const routes = (
    config?.routes && typeof config.routes === 'object' && !Array.isArray(config.routes)
      ? { ...(config.routes as Record<string, JsonValue>) }
      : {}
  ) as Record<string, JsonValue>;
  const scenario = await vscode.window.showQuickPick(
    SCENARIOS.map((s) => ({
      label: s,
      description: typeof routes[s] === 'string' ? `→ ${routes[s] as string}` : 'default endpoint',
      detail: SCENARIO_HELP[s],
      scenario: s,
    })),
    { title: 'Scenario route to change' },
  );
  if (!scenario) {
    return;
  }
  const examples = (config?.endpoints ?? []).flatMap((e) =>
    e.models.length ? e.models.map((m) => `${e.name},${m}`) : [e.name],
  );
  let serverError: string | undefined;
  let value = typeof routes[scenario.scenario] === 'string' ? (routes[scenario.scenario] as string) : '';
  for (;;) {
    const refused = serverError ? value : undefined;
    const answer = await vscode.window.showInputBox({
      title: `Route for ${scenario.scenario}: ${SCENARIO_HELP[scenario.scenario]}`,
      prompt: `endpoint,model (for example ${examples[0] ?? 'glm,glm-4.5-air'}); empty removes the route`,
      value,
      ignoreFocusOut: true,
      validateInput: (v) => (v === refused ? serverError : undefined),
    });
    if (answer === undefined) {
      return;
    }
    value = answer.trim();
    const next = { ...routes };
    if (value) {
      next[scenario.scenario] = value;
    } else {
      delete next[scenario.scenario];
    }
    try {
      await session.connection.request(
        Methods.setRoutes,
        Object.keys(next).length ? { routes: next, dryRun: false } : { dryRun: false },
      );
      return;
    } catch (e) {
      serverError = e instanceof Error ? e.message : String(e);
    }
  }
}

/**
 * Opens the router's config file; JSON Schema validation comes with it (contributed by this extension). A file that
 * does not exist yet opens as an unsaved editor at its path, filled with the config in force; saving creates it and the
 * router picks it up.
 */
async function openConfigFile(deps: CommandDeps): Promise<void> {
  const file = deps.config.current?.file ?? deps.router.session?.status.configFile;
  if (!file) {
    throw new Error('the router has not said where its config file is yet; start it first');
  }
  if (existsSync(file)) {
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    return;
  }
  const config = deps.config.current;
  const starter = {
    port: config?.port ?? 3000,
    endpoints: (config?.endpoints ?? []).map((e) => ({ name: e.name, type: e.type.toLowerCase(), baseUrl: e.baseUrl })),
    ...(config?.defaultEndpoint ? { defaultEndpoint: config.defaultEndpoint } : {}),
  };
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file).with({ scheme: 'untitled' }));
  const editor = await vscode.window.showTextDocument(document);
  await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), `${JSON.stringify(starter, null, 2)}\n`));
}

async function showClaudeSettingsStatus(deps: CommandDeps): Promise<void> {
  const session = requireSession(deps.router);
  if (!session) {
    return;
  }
  const status = await session.connection.request(Methods.claudeStatus, {});
  const choice = await vscode.window.showInformationMessage(
    status.message,
    { modal: true, detail: describeClaudeSettings(status) },
    'Open Settings File',
  );
  if (choice === 'Open Settings File') {
    await vscode.window.showTextDocument(vscode.Uri.file(status.settingsFile));
  }
}

function describeClaudeSettings(status: ClaudeSettingsResult): string {
  const lines = [`Settings file: ${status.settingsFile}`, `This router: ${status.routerBaseUrl}`, ''];
  for (const key of status.keys) {
    const who = key.state === 'ROUTER' ? 'set by ccr' : key.state === 'USER' ? 'your value' : 'not set';
    const value = key.value !== undefined ? ` = ${key.value}` : '';
    const wins = key.effectiveFile && key.effectiveScope !== 'USER' ? ` (but ${key.effectiveFile} wins)` : '';
    lines.push(`${key.name}${value}: ${who}${wins}`);
  }
  if (status.overrides.length) {
    lines.push('', 'Files that override the user settings:');
    for (const override of status.overrides) {
      lines.push(
        `${override.file} sets ${override.key}${override.sameAsRouter ? ' to this router (harmless)' : ' to something else'}`,
      );
    }
  }
  return lines.join('\n');
}
