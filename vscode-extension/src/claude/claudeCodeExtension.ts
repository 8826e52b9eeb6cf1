/**
 * What routing changes in VS Code itself, beyond Claude Code's settings file (which the sidecar owns): the Anthropic
 * extension's `claudeCode.disableLoginPrompt` (its login prompt makes no sense when the router handles
 * authentication) and the variables of new integrated terminals. Both only when that extension is installed: updating
 * a `claudeCode.*` setting throws otherwise, and without it the settings file already covers the CLI.
 *
 * Like the sidecar's journal for the settings file, the value that was there is recorded before it is changed, and
 * restoring puts it back exactly, unless the user changed it in between, which is then kept.
 */

/** The user-level (global) value of one VS Code setting. */
export interface GlobalSetting<T> {
  /** The value in the user settings, or undefined when the user settings do not set it. */
  read(): T | undefined;
  /** Writes the user-level value; undefined removes it from the user settings. */
  write(value: T | undefined): PromiseLike<void>;
}

/** The extension's `environmentVariableCollection`: what VS Code adds to the environment of new terminals. */
export interface TerminalEnvironment {
  replace(variable: string, value: string): void;
  clear(): void;
}

/** Where the journal lives between sessions: the extension's global state. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface ClaudeCodeExtensionDeps {
  /** Whether `anthropic.claude-code` is installed, asked at each change (it may come and go). */
  readonly isInstalled: () => boolean;
  readonly disableLoginPrompt: GlobalSetting<boolean>;
  readonly terminals: TerminalEnvironment;
  readonly state: StateStore;
}

export const CLAUDE_CODE_EXTENSION_ID = 'anthropic.claude-code';
const JOURNAL_KEY = 'ccr.claudeCodeExtension.journal';

interface Journal {
  /** The user-level value of `claudeCode.disableLoginPrompt` before routing was turned on; null: it was not set. */
  readonly disableLoginPromptBefore: boolean | null;
}

export class ClaudeCodeExtension {
  constructor(private readonly deps: ClaudeCodeExtensionDeps) {}

  get installed(): boolean {
    return this.deps.isInstalled();
  }

  /** Whether routing's changes are in place (a journal exists). */
  get applied(): boolean {
    return this.deps.state.get<Journal>(JOURNAL_KEY) !== undefined;
  }

  /**
   * Routing on: records and sets `claudeCode.disableLoginPrompt`, and points new terminals at the router. Applying
   * again (the router moved) keeps the first record. Returns what changed, for the user; empty when the extension is
   * not installed.
   */
  async apply(routerBaseUrl: string): Promise<string[]> {
    if (!this.installed) {
      return [];
    }
    const changed: string[] = [];
    if (!this.applied) {
      const before = this.deps.disableLoginPrompt.read();
      await this.deps.state.update(JOURNAL_KEY, { disableLoginPromptBefore: before ?? null } satisfies Journal);
    }
    if (this.deps.disableLoginPrompt.read() !== true) {
      await this.deps.disableLoginPrompt.write(true);
      changed.push('claudeCode.disableLoginPrompt');
    }
    this.deps.terminals.replace('ANTHROPIC_BASE_URL', routerBaseUrl);
    changed.push('ANTHROPIC_BASE_URL in new terminals');
    return changed;
  }

  /**
   * Routing off: restores `claudeCode.disableLoginPrompt` to what it was, unless the user changed it since, and clears
   * the terminals' variables. Returns what was restored and what was kept.
   */
  async restore(): Promise<{ restored: string[]; kept: string[] }> {
    this.deps.terminals.clear();
    const journal = this.deps.state.get<Journal>(JOURNAL_KEY);
    if (!journal) {
      return { restored: [], kept: [] };
    }
    if (!this.installed) {
      // The setting cannot be written without the extension, and does nothing without it either; the journal stays
      // so that the value is put back if the extension returns while routing is still off.
      return { restored: [], kept: [] };
    }
    const now = this.deps.disableLoginPrompt.read();
    const result = { restored: [] as string[], kept: [] as string[] };
    if (now === true) {
      const before = journal.disableLoginPromptBefore ?? undefined;
      if (before !== true) {
        await this.deps.disableLoginPrompt.write(before);
      }
      result.restored.push('claudeCode.disableLoginPrompt');
    } else {
      result.kept.push('claudeCode.disableLoginPrompt');
    }
    await this.deps.state.update(JOURNAL_KEY, undefined);
    return result;
  }
}
