import * as vscode from 'vscode';
import { JAVA_DOWNLOAD_URL } from '../java/javaRuntime';
import type { RouterProblem } from '../sidecar/routerService';

/**
 * Says why the router is not running, with the buttons that fix it (vscode-java's "Show logs" / "Open settings"
 * style). Shown once per failure, not on every status change.
 */
export async function showRouterProblem(problem: RouterProblem, message: string): Promise<void> {
  const actions: string[] = [];
  switch (problem) {
    case 'noJava':
      actions.push('Get Java', 'Open Settings');
      break;
    case 'javaSetting':
    case 'badSettings':
    case 'outOfMemory':
      actions.push('Open Settings', 'Show Logs');
      break;
    case 'crashLoop':
      actions.push('Show Logs', 'Start Router');
      break;
    default:
      actions.push('Show Logs');
  }
  const choice = await vscode.window.showErrorMessage(message, ...actions);
  switch (choice) {
    case 'Get Java':
      await vscode.env.openExternal(vscode.Uri.parse(JAVA_DOWNLOAD_URL));
      break;
    case 'Open Settings':
      await vscode.commands.executeCommand(
        'workbench.action.openSettings',
        problem === 'outOfMemory' || problem === 'badSettings' ? 'ccr.server.vmargs' : 'ccr.java.home',
      );
      break;
    case 'Show Logs':
      await vscode.commands.executeCommand('ccr.showLogs');
      break;
    case 'Start Router':
      await vscode.commands.executeCommand('ccr.startRouter');
      break;
  }
}

/**
 * Claude Code is pointed at the router, but none runs for this window: every `claude` request would fail. Offers the
 * two fixes, each one click.
 */
export async function showRoutedToNothing(): Promise<void> {
  const choice = await vscode.window.showWarningMessage(
    'Claude Code is routed through ccr, but no router is running: its requests fail until one runs or routing is ' +
      'turned off.',
    'Start Router',
    'Turn Routing Off',
  );
  if (choice === 'Start Router') {
    await vscode.commands.executeCommand('ccr.startRouter');
  } else if (choice === 'Turn Routing Off') {
    await vscode.commands.executeCommand('ccr.turnRoutingOff');
  }
}

/** A command failed: the error's message is written for the user; the log may say more. */
export async function showFailure(action: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  const choice = await vscode.window.showErrorMessage(`${action}: ${message}`, 'Show Logs');
  if (choice === 'Show Logs') {
    await vscode.commands.executeCommand('ccr.showLogs');
  }
}
