import type { Logger } from '../log';
import { Methods, type ClaudeSettingsResult, type RoutingState } from '../protocol/protocol';
import type { RouterSession } from '../sidecar/routerService';
import type { ClaudeCodeExtension } from './claudeCodeExtension';

export interface RoutingOutcome {
  readonly result: ClaudeSettingsResult;
  /** One message for the user: the sidecar's summary plus what changed in VS Code. */
  readonly message: string;
  /** Something the user should act on (a project file that overrides the router, a key left as the user set it). */
  readonly warning: boolean;
}

export interface RoutingControllerDeps {
  readonly session: () => RouterSession | undefined;
  readonly claudeCodeExtension: ClaudeCodeExtension;
  /** `ccr.claudeCode.configureExtension`: whether routing also changes the Claude Code extension and terminals. */
  readonly configureExtension: () => boolean;
  readonly logger: Logger;
  /** Turns routing off without a router (`ccr claude disable`), for when none runs. */
  readonly disableWithoutRouter?: () => Promise<ClaudeSettingsResult>;
}

/** Routing cannot change while the router does not run; the message says how to get there. */
export class RouterNotRunningError extends Error {
  constructor(action: string) {
    super(`Cannot ${action}: the router is not running. Start it (Claude Code Router: Start Router) and try again.`);
    this.name = 'RouterNotRunningError';
  }
}

/**
 * Turns routing on and off. Claude Code's settings file is the sidecar's business (`claude/enable`, `claude/disable`:
 * only our keys, journal first, exact restore); this adds the VS Code side and keeps the two in step. The settings
 * file is the state: it survives reloads and is shared by every window and by `ccr claude`, so nothing else is stored.
 */
export class RoutingController {
  constructor(private readonly deps: RoutingControllerDeps) {}

  async turnOn(): Promise<RoutingOutcome> {
    const session = this.requireSession('turn routing on');
    const result = await session.connection.request(Methods.claudeEnable, {});
    let vscodeChanges: string[] = [];
    if (this.deps.configureExtension()) {
      vscodeChanges = await this.deps.claudeCodeExtension.apply(result.routerBaseUrl);
    }
    this.deps.logger.info(result.message);
    return outcome(result, vscodeChanges.length ? `also set ${vscodeChanges.join(' and ')}` : undefined);
  }

  /** Routing off, also while no router runs: Claude Code must not stay pointed at a router that is gone. */
  async turnOff(): Promise<RoutingOutcome> {
    const session = this.deps.session();
    if (!session && !this.deps.disableWithoutRouter) {
      throw new RouterNotRunningError('turn routing off');
    }
    const result = session
      ? await session.connection.request(Methods.claudeDisable, {})
      : await this.deps.disableWithoutRouter!();
    const vscode = await this.deps.claudeCodeExtension.restore();
    this.deps.logger.info(result.message);
    const notes: string[] = [];
    if (vscode.restored.length) {
      notes.push(`restored ${vscode.restored.join(', ')}`);
    }
    if (vscode.kept.length) {
      notes.push(`kept ${vscode.kept.join(', ')}, which you changed`);
    }
    return outcome(result, notes.length ? notes.join('; ') : undefined);
  }

  /** Whether Claude Code uses the router now, as the server judges it from the settings files. */
  isOn(routing: RoutingState | undefined): boolean {
    return routing === 'ON' || routing === 'OVERRIDDEN';
  }

  async toggle(): Promise<RoutingOutcome> {
    const session = this.requireSession('change routing');
    return this.isOn(session.status.routing) ? this.turnOff() : this.turnOn();
  }

  /**
   * Keeps things in step after the routing state changed outside this window (`ccr claude`, another window, a reload,
   * the router on another port):
   * - the settings file still holds our base URL, unchanged, but the router now listens elsewhere (port 0, a changed
   *   port): enabling again follows it, keeping the original journal;
   * - routing is off (or the user no longer wants VS Code configured) but VS Code still has our changes: they are
   *   restored; routing is on and they are missing: applied.
   */
  async reconcile(): Promise<void> {
    const session = this.deps.session();
    if (!session || session.status.proxy !== 'RUNNING') {
      return;
    }
    let routing = session.status.routing;
    if (routing === 'OFF') {
      const status = await session.connection.request(Methods.claudeStatus, {});
      const baseUrl = status.keys.find((key) => key.name === 'ANTHROPIC_BASE_URL');
      if (status.enabled && baseUrl?.state === 'ROUTER' && baseUrl.value !== status.routerBaseUrl) {
        this.deps.logger.info(`the router moved to ${status.routerBaseUrl}; pointing Claude Code there`);
        await session.connection.request(Methods.claudeEnable, {});
        routing = 'ON';
      }
    }
    const extension = this.deps.claudeCodeExtension;
    const wanted = this.isOn(routing) && this.deps.configureExtension();
    if (wanted && !extension.applied && session.status.baseUrl) {
      await extension.apply(session.status.baseUrl);
    } else if (!wanted && extension.applied) {
      await extension.restore();
    }
  }

  private requireSession(action: string): RouterSession {
    const session = this.deps.session();
    if (!session) {
      throw new RouterNotRunningError(action);
    }
    return session;
  }
}

function outcome(result: ClaudeSettingsResult, vscodeNote: string | undefined): RoutingOutcome {
  const overridden = result.overrides.some((override) => !override.sameAsRouter);
  return {
    result,
    message: vscodeNote ? `${result.message} (${vscodeNote})` : result.message,
    warning: overridden || result.keptUserKeys.length > 0,
  };
}
