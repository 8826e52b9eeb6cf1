import * as vscode from 'vscode';
import type { StatusPresentation } from '../status/statusPresentation';

/** The commands the tooltip may link to; nothing else is trusted in it. */
const TOOLTIP_COMMANDS = [
  'ccr.toggleRouting',
  'ccr.openSettingsPanel',
  'ccr.showLogs',
  'ccr.startRouter',
  'ccr.turnRoutingOff',
  'ccr.showClaudeSettingsStatus',
];

/**
 * The one status bar item (`ccr.status`): what routing does now, with the details in its tooltip. Clicking it opens a
 * small menu whose first entry toggles routing, so a click and Enter toggles.
 */
export class RouterStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ccr.status', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'Claude Code Router';
    this.item.command = 'ccr.statusMenu';
    this.item.show();
  }

  show(presentation: StatusPresentation): void {
    this.item.text = presentation.text;
    const tooltip = new vscode.MarkdownString(presentation.tooltip, true);
    tooltip.isTrusted = { enabledCommands: TOOLTIP_COMMANDS };
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: presentation.label, role: 'button' };
    this.item.backgroundColor =
      presentation.severity === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : presentation.severity === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
