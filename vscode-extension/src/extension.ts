import * as path from 'node:path';
import * as vscode from 'vscode';
import { ClaudeCodeExtension } from './claude/claudeCodeExtension';
import { RoutingController } from './claude/routingController';
import { ApiKeyStore } from './credentials/apiKeyStore';
import { Methods, type ClaudeSettingsResult, type RoutingState } from './protocol/protocol';
import { ConfigTracker } from './sidecar/configTracker';
import { RouterService, type RouterState } from './sidecar/routerService';
import { RequestsToday } from './status/requestsToday';
import { SharedRouterWatcher } from './status/sharedRouter';
import { presentStatus } from './status/statusPresentation';
import { registerCommands } from './ui/commands';
import { showRoutedToNothing, showRouterProblem } from './ui/notifications';
import { OutputLog } from './ui/outputLog';
import { SettingsPanel } from './ui/settingsPanel';
import { RouterStatusBar } from './ui/statusBar';
import { globalSetting, isClaudeCodeInstalled, Settings, terminalEnvironment } from './ui/vscodeAdapters';

const LAST_ROUTING_KEY = 'ccr.lastRouting';

/**
 * What deactivate() still needs. VS Code disposes `context.subscriptions` right after calling deactivate() without
 * waiting for it, so the router and the log it writes to stay out of them and are disposed at the end of deactivate().
 */
let running: { router: RouterService; log: OutputLog } | undefined;

/** Wires the pieces together; each lives in its own module and only the ui/ ones know VS Code. */
export function activate(context: vscode.ExtensionContext): void {
  const log = new OutputLog();
  const apiKeys = new ApiKeyStore(context.secrets);
  const service = new RouterService({
    jar: path.join(context.extensionPath, 'server', 'ccr.jar'),
    bundledJavaHome: path.join(context.extensionPath, 'runtime'),
    clientVersion: String(context.extension.packageJSON.version),
    logger: log,
    settings: () => ({
      javaHome: Settings.javaHome(),
      vmArgs: Settings.vmArgs(),
      configFile: Settings.configFile(),
      workspaceFolders: (vscode.workspace.workspaceFolders ?? [])
        .filter((folder) => folder.uri.scheme === 'file')
        .map((folder) => folder.uri.fsPath),
      trace: Settings.trace(),
      whenEditorsClose: Settings.whenVSCodeCloses(),
    }),
    apiKey: (endpoint) => apiKeys.get(endpoint),
  });
  running = { router: service, log };
  const config = new ConfigTracker(service, log);
  const shared = new SharedRouterWatcher();
  const claudeCodeExtension = new ClaudeCodeExtension({
    isInstalled: isClaudeCodeInstalled,
    disableLoginPrompt: globalSetting<boolean>('claudeCode', 'disableLoginPrompt'),
    terminals: terminalEnvironment(context),
    state: context.globalState,
  });
  const routing = new RoutingController({
    session: () => service.session,
    claudeCodeExtension,
    configureExtension: Settings.configureExtension,
    logger: log,
    disableWithoutRouter: async () =>
      JSON.parse(await service.runCommand(['claude', 'disable', '--json'])) as ClaudeSettingsResult,
  });
  const requestsToday = new RequestsToday(context.globalState);
  const statusBar = new RouterStatusBar();

  const render = () =>
    statusBar.show(
      presentStatus({
        state: service.state,
        lastRouting: context.globalState.get<RoutingState>(LAST_ROUTING_KEY),
        shared: shared.current,
        requestsToday: requestsToday.count,
        whenClosing: Settings.whenVSCodeCloses(),
      }),
    );

  // Routing changes made elsewhere (ccr claude, another window, a moved port) are followed one at a time.
  let reconciling = Promise.resolve();
  const reconcile = () => {
    reconciling = reconciling
      .then(() => routing.reconcile())
      .catch((e: unknown) => log.warn(`cannot bring routing in step: ${e instanceof Error ? e.message : String(e)}`));
  };

  let previous: RouterState = service.state;
  const stateChanged = (state: RouterState) => {
    const before = previous;
    previous = state;
    const session = state.kind === 'running' ? state.session : undefined;
    void vscode.commands.executeCommand('setContext', 'ccr.routerRunning', session !== undefined);
    if (session) {
      const routingNow = session.status.routing;
      void vscode.commands.executeCommand('setContext', 'ccr.routingOn', routingNow !== 'OFF');
      if (context.globalState.get(LAST_ROUTING_KEY) !== routingNow) {
        void context.globalState.update(LAST_ROUTING_KEY, routingNow);
      }
      const newSession = before.kind !== 'running' || before.session.connection !== session.connection;
      const status = session.status;
      shared.watch(status.proxy === 'FAILED' ? { host: status.host, port: status.port } : undefined);
      if (newSession || before.session.status.routing !== routingNow || before.session.status.proxy !== status.proxy) {
        reconcile();
      }
    } else if (state.kind !== 'restarting') {
      shared.watch(undefined);
    }
    if (state.kind === 'failed' && before.kind !== 'failed') {
      void showRouterProblem(state.problem, state.message);
    }
    const routed = routing.isOn(context.globalState.get<RoutingState>(LAST_ROUTING_KEY));
    const down = (state.kind === 'stopped' && !state.replacing) || state.kind === 'failed';
    if (routed && down && before.kind === 'running' && running) {
      void showRoutedToNothing();
    }
    render();
  };

  context.subscriptions.push(
    apiKeys,
    config,
    shared,
    statusBar,
    service.onDidChangeState(stateChanged),
    shared.onDidChange(render),
    // The server remembers keys it was given; a changed key must be asked for again.
    apiKeys.onDidChange((endpoint) => void service.session?.connection.notify(Methods.apiKeyChanged, { endpoint })),
    service.onDidCompleteRequests(
      (params) => void requestsToday.add(params.requests.length + params.dropped).then(render),
    ),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (Settings.restartNeeded(event) && service.state.kind !== 'stopped') {
        const choice = await vscode.window.showInformationMessage(
          'The router uses the changed setting after a restart.',
          'Restart Router',
        );
        if (choice === 'Restart Router') {
          await service.restart();
        }
      }
      if (event.affectsConfiguration('ccr.claudeCode.configureExtension')) {
        reconcile();
      }
      if (event.affectsConfiguration('ccr.router.whenVSCodeCloses')) {
        void service.preferencesChanged();
        render();
      }
    }),
    ...registerCommands({
      router: service,
      config,
      apiKeys,
      logger: log,
      log,
      routing,
      openSettingsPanel: () =>
        SettingsPanel.show({
          extensionUri: context.extensionUri,
          router: service,
          config,
          shared,
          apiKeys,
          routing,
          logger: log,
        }),
    }),
  );

  render();
  if (Settings.autoStart()) {
    void service.start(true);
  } else {
    log.info('the router is not started automatically (ccr.router.autoStart is off); use "Start Router"');
    if (routing.isOn(context.globalState.get<RoutingState>(LAST_ROUTING_KEY))) {
      void showRoutedToNothing();
    }
  }
}

/**
 * VS Code waits for this on shutdown and reload: this window lets the shared router go. It keeps serving the other
 * windows, and once none is left it keeps serving Claude Code or turns routing off, as `ccr.router.whenVSCodeCloses`
 * says (a window reloading attaches again before it acts).
 */
export async function deactivate(): Promise<void> {
  const ending = running;
  running = undefined;
  if (ending) {
    await ending.router.detach();
    ending.router.dispose();
    ending.log.dispose();
  }
}
