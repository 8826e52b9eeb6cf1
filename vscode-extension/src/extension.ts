import * as vscode from 'vscode';

/** Placeholder until the extension issue lands: registers the log channel so the package is installable. */
export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Claude Code Router');
  context.subscriptions.push(output, vscode.commands.registerCommand('ccr.showLogs', () => output.show()));
}

export function deactivate(): void {}
