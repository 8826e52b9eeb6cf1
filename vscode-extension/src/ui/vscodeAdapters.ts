import * as vscode from 'vscode';
import { CLAUDE_CODE_EXTENSION_ID, type GlobalSetting, type TerminalEnvironment } from '../claude/claudeCodeExtension';
import type { WhenEditorsClose } from '../protocol/protocol';

/** The user-level value of one setting, as `claudeCode.disableLoginPrompt` needs it. */
export function globalSetting<T>(section: string, key: string): GlobalSetting<T> {
  return {
    read: () => vscode.workspace.getConfiguration(section).inspect<T>(key)?.globalValue,
    write: (value) => vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global),
  };
}

export function terminalEnvironment(context: vscode.ExtensionContext): TerminalEnvironment {
  const collection = context.environmentVariableCollection;
  // Persistent: terminals restored after a reload keep pointing at the router while routing is on.
  collection.persistent = true;
  collection.description = 'Claude Code Router: points new terminals at the local router while routing is on';
  return {
    replace: (variable, value) => collection.replace(variable, value),
    clear: () => collection.clear(),
  };
}

export function isClaudeCodeInstalled(): boolean {
  return vscode.extensions.getExtension(CLAUDE_CODE_EXTENSION_ID) !== undefined;
}

/** The settings this extension reads, in one place. */
export const Settings = {
  section: 'ccr',
  javaHome: () => vscode.workspace.getConfiguration('ccr').get<string>('java.home') ?? undefined,
  vmArgs: () => vscode.workspace.getConfiguration('ccr').get<string>('server.vmargs') ?? undefined,
  configFile: () => vscode.workspace.getConfiguration('ccr').get<string>('configFile') ?? undefined,
  autoStart: () => vscode.workspace.getConfiguration('ccr').get<boolean>('router.autoStart', true),
  trace: () => vscode.workspace.getConfiguration('ccr').get<string>('trace.server', 'off') === 'messages',
  configureExtension: () =>
    vscode.workspace.getConfiguration('ccr').get<boolean>('claudeCode.configureExtension', true),
  setConfigureExtension: (on: boolean) =>
    vscode.workspace
      .getConfiguration('ccr')
      .update('claudeCode.configureExtension', on, vscode.ConfigurationTarget.Global),
  /** `ccr.router.whenVSCodeCloses`, in the protocol's terms. */
  whenVSCodeCloses: (): WhenEditorsClose =>
    vscode.workspace.getConfiguration('ccr').get<string>('router.whenVSCodeCloses', 'keepServing') === 'turnRoutingOff'
      ? 'TURN_ROUTING_OFF'
      : 'KEEP_SERVING',
  /** Settings whose change needs a restart of the router. */
  restartNeeded: (event: vscode.ConfigurationChangeEvent) =>
    ['ccr.java.home', 'ccr.server.vmargs', 'ccr.configFile'].some((key) => event.affectsConfiguration(key)),
};
