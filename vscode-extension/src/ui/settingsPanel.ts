import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { RoutingController } from '../claude/routingController';
import type { ApiKeyStore } from '../credentials/apiKeyStore';
import type { Logger } from '../log';
import type { FromWebview, PanelCommand, ToWebview } from '../panel/messages';
import { PanelController } from '../panel/panelController';
import type { ConfigTracker } from '../sidecar/configTracker';
import type { RouterService } from '../sidecar/routerService';
import type { SharedRouterWatcher } from '../status/sharedRouter';
import { isClaudeCodeInstalled, Settings } from './vscodeAdapters';

export interface SettingsPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly router: RouterService;
  readonly config: ConfigTracker;
  readonly shared: SharedRouterWatcher;
  readonly apiKeys: ApiKeyStore;
  readonly routing: RoutingController;
  readonly logger: Logger;
}

const COMMANDS: Record<PanelCommand, string> = {
  showLogs: 'ccr.showLogs',
  openConfigFile: 'ccr.openConfigFile',
  startRouter: 'ccr.startRouter',
  restartRouter: 'ccr.restartRouter',
  showClaudeSettingsStatus: 'ccr.showClaudeSettingsStatus',
};

/**
 * The settings panel: a webview whose page (`src/webview/`) renders what {@link PanelController} sends and sends back
 * what the user does. One panel per window; opening it again reveals it. The page gets a strict content security
 * policy: its own script and style only, nothing from the network.
 */
export class SettingsPanel implements vscode.Disposable {
  private static current: SettingsPanel | undefined;
  private readonly controller: PanelController;
  private readonly subscriptions: vscode.Disposable[] = [];

  static show(deps: SettingsPanelDeps): void {
    if (SettingsPanel.current) {
      SettingsPanel.current.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel('ccr.settings', 'Claude Code Router', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(deps.extensionUri, 'dist'),
        vscode.Uri.joinPath(deps.extensionUri, 'media'),
      ],
    });
    SettingsPanel.current = new SettingsPanel(panel, deps);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    deps: SettingsPanelDeps,
  ) {
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.svg');
    this.controller = new PanelController({
      routerState: () => deps.router.state,
      config: () => deps.config.current,
      shared: () => deps.shared.current,
      apiKeys: deps.apiKeys,
      routing: deps.routing,
      claudeCodeExtensionInstalled: isClaudeCodeInstalled,
      configureExtension: { get: Settings.configureExtension, set: Settings.setConfigureExtension },
      post: (message: ToWebview) => void panel.webview.postMessage(message),
      runCommand: (command) => void vscode.commands.executeCommand(COMMANDS[command]),
      logger: deps.logger,
    });
    const refresh = () => void this.controller.pushState();
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((message: FromWebview) => void this.controller.handle(message)),
      deps.router.onDidChangeState(refresh),
      deps.config.onDidChange(refresh),
      deps.shared.onDidChange(refresh),
      deps.apiKeys.onDidChange(refresh),
      deps.router.onDidCompleteRequests((params) => this.controller.requestsCompleted(params)),
      deps.router.onEndpointTestProgress((params) => this.controller.testProgress(params)),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('ccr.claudeCode') && refresh()),
      vscode.extensions.onDidChange(refresh),
    );
    panel.onDidDispose(() => this.dispose());
    panel.webview.html = this.html(deps.extensionUri);
  }

  private html(extensionUri: vscode.Uri): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} data:`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${style.toString()}">
  <title>Claude Code Router</title>
</head>
<body>
  <main id="app" aria-live="polite"><p class="muted">Loading…</p></main>
  <script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    SettingsPanel.current = undefined;
    this.controller.dispose();
    this.subscriptions.forEach((s) => s.dispose());
    this.panel.dispose();
  }
}
