import { h, replaceChildren } from '../dom';
import type { PanelContext } from './context';
import { showReply } from './feedback';

/** Claude Code: the routing switch, and whether routing also configures the Claude Code extension and terminals. */
export class ClaudeSection {
  readonly element = h('section', { id: 'claude', class: 'card' });
  /** Created once and moved into each render, so that an update right after an answer does not wipe the answer. */
  private readonly message = h('p', { class: 'message', id: 'routing-message' });

  constructor(private readonly context: PanelContext) {}

  render(): void {
    const { store, rpc } = this.context;
    const state = store.state;
    if (!state) return;
    const on = state.routing === 'ON' || state.routing === 'OVERRIDDEN';
    const message = this.message;
    const toggle = h('input', {
      type: 'checkbox',
      id: 'routing-switch',
      role: 'switch',
      checked: on,
      disabled: !store.running,
      onchange: async (event) => {
        const input = event.target as HTMLInputElement;
        input.disabled = true;
        const reply = await rpc.request({ type: 'setRouting', id: rpc.nextId(), on: input.checked });
        showReply(message, reply);
        input.disabled = false;
      },
    });
    const extension = state.claudeCodeExtension;
    const configure = h('input', {
      type: 'checkbox',
      id: 'configure-extension',
      checked: extension.configure,
      onchange: async (event) => {
        const reply = await rpc.request({
          type: 'setConfigureExtension',
          id: rpc.nextId(),
          on: (event.target as HTMLInputElement).checked,
        });
        showReply(message, reply);
      },
    });
    replaceChildren(
      this.element,
      h('h2', {}, 'Claude Code'),
      h(
        'label',
        { class: 'switch' },
        toggle,
        h(
          'span',
          {},
          'Route Claude Code through this router',
          h(
            'small',
            { class: 'muted' },
            'Writes only ccr’s keys into ~/.claude/settings.json; turning it off restores the file exactly.',
          ),
        ),
      ),
      state.routing === 'OVERRIDDEN'
        ? h(
            'p',
            { class: 'status warn' },
            'A project or managed settings file sets ANTHROPIC_BASE_URL and wins there. ',
            h(
              'a',
              { href: '#', onclick: () => rpc.post({ type: 'command', command: 'showClaudeSettingsStatus' }) },
              'Details',
            ),
          )
        : null,
      h(
        'label',
        { class: 'switch' },
        configure,
        h(
          'span',
          {},
          'Also configure the Claude Code extension and new terminals',
          h(
            'small',
            { class: 'muted' },
            extension.installed
              ? 'Sets claudeCode.disableLoginPrompt and ANTHROPIC_BASE_URL for new terminals while routing is on.'
              : 'Applies once the Claude Code extension (anthropic.claude-code) is installed.',
          ),
        ),
      ),
      message,
    );
  }
}
