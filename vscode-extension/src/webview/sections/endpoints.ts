import type { EndpointInfo } from '../../protocol/protocol';
import { formatMillis, h, replaceChildren } from '../dom';
import type { PanelContext } from './context';
import { showReply } from './feedback';

/** The endpoints table: each endpoint's type, key, health, latency and requests, and what can be done with it. */
export class EndpointsSection {
  readonly element = h('section', { id: 'endpoints', class: 'card' });
  /** Created once and moved into each render, so that an update right after an answer does not wipe the answer. */
  private readonly message = h('p', { class: 'message', id: 'endpoints-message' });

  constructor(
    private readonly context: PanelContext,
    /** Opens the add/edit form. */
    private readonly openForm: (mode: 'add' | 'edit', endpoint?: EndpointInfo) => void,
  ) {}

  /** Where the outcome of a change made elsewhere (the form saving) is shown. */
  get outcome(): HTMLElement {
    return this.message;
  }

  render(): void {
    const { store } = this.context;
    const state = store.state;
    if (!state) return;
    const config = state.config;
    const running = store.running;
    const rows = (config?.endpoints ?? []).map((endpoint) => {
      const health = state.endpoints.find((e) => e.name === endpoint.name);
      const usage = store.summary?.byEndpoint.find((g) => g.name === endpoint.name)?.usage;
      const isDefault = config?.defaultEndpoint === endpoint.name;
      const healthText = (health?.health ?? 'UNKNOWN').toLowerCase();
      return h(
        'tr',
        { 'data-endpoint': endpoint.name },
        h(
          'td',
          {},
          h('strong', {}, endpoint.name),
          isDefault ? h('span', { class: 'badge' }, 'default') : null,
          h('div', { class: 'url' }, endpoint.baseUrl),
        ),
        h(
          'td',
          {},
          endpoint.type.toLowerCase(),
          endpoint.type === 'CUSTOM' ? ` (${endpoint.format.toLowerCase()})` : '',
        ),
        h('td', {}, this.keyText(endpoint)),
        h('td', { title: health?.lastError ?? '' }, h('span', { class: `dot ${healthText}` }), healthText),
        h('td', { class: 'num' }, formatMillis(usage?.duration?.p50)),
        h('td', { class: 'num' }, usage ? String(usage.requests) : '0'),
        h(
          'td',
          { class: 'row-actions' },
          h('button', { class: 'link', disabled: !running, onclick: () => this.test(endpoint.name) }, 'Test'),
          h('button', { class: 'link', disabled: !running, onclick: () => this.openForm('edit', endpoint) }, 'Edit'),
          isDefault
            ? null
            : h(
                'button',
                { class: 'link', disabled: !running, onclick: () => this.makeDefault(endpoint.name) },
                'Make default',
              ),
          h(
            'button',
            { class: 'link danger', disabled: !running, onclick: () => this.remove(endpoint.name) },
            'Remove',
          ),
        ),
      );
    });
    replaceChildren(
      this.element,
      h('h2', {}, 'Endpoints'),
      config?.warnings.length
        ? h(
            'ul',
            { class: 'warnings' },
            config.warnings.map((w) => h('li', {}, w.message)),
          )
        : null,
      h(
        'table',
        { id: 'endpoints-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Endpoint', 'Type', 'API key', 'Health', 'Latency p50', 'Requests', ''].map((title) => h('th', {}, title)),
          ),
        ),
        h(
          'tbody',
          {},
          rows.length
            ? rows
            : h(
                'tr',
                {},
                h(
                  'td',
                  { colspan: 7, class: 'muted' },
                  running ? 'No endpoints.' : 'Start the router to see its endpoints.',
                ),
              ),
        ),
      ),
      this.message,
      h(
        'div',
        { class: 'actions' },
        h('button', { id: 'add-endpoint', disabled: !running, onclick: () => this.openForm('add') }, 'Add endpoint'),
      ),
    );
  }

  private keyText(endpoint: EndpointInfo): string {
    switch (endpoint.apiKey) {
      case 'CONFIG':
        return 'in config file';
      case 'ENVIRONMENT':
        return `$${endpoint.apiKeyVariable ?? ''}`;
      case 'ENVIRONMENT_MISSING':
        return `$${endpoint.apiKeyVariable ?? ''} (not set)`;
      default:
        if (this.context.store.state?.storedKeys.includes(endpoint.name)) return 'stored in VS Code';
        return endpoint.type === 'ANTHROPIC' ? 'client’s own key' : 'none';
    }
  }

  private async test(name: string): Promise<void> {
    const { rpc } = this.context;
    const message = this.message;
    const id = rpc.nextId();
    // The test's progress is shown here: see showTestProgress.
    message.dataset.testId = String(id);
    message.className = 'message';
    message.textContent = `Testing "${name}"…`;
    const reply = await rpc.request({ type: 'testEndpoint', id, name });
    showReply(message, reply);
  }

  private async makeDefault(name: string): Promise<void> {
    const { rpc } = this.context;
    showReply(this.message, await rpc.request({ type: 'setDefaultEndpoint', id: rpc.nextId(), name }));
  }

  private async remove(name: string): Promise<void> {
    const { rpc } = this.context;
    const message = this.message;
    if (message.dataset.confirm !== name) {
      message.dataset.confirm = name;
      message.className = 'message warn';
      message.textContent = `Click Remove again to remove "${name}" from the config file (its stored key goes too).`;
      return;
    }
    delete message.dataset.confirm;
    showReply(message, await rpc.request({ type: 'removeEndpoint', id: rpc.nextId(), name }));
  }
}

/**
 * A step of an endpoint test, shown where the test was started: a list item in the form's progress list, or the
 * text of the endpoints table's outcome line.
 */
export function showTestProgress(id: number, text: string, stepState: string): void {
  const list = document.querySelector<HTMLElement>(`[data-test-id="${id}"]`);
  if (list?.tagName === 'UL') {
    list.appendChild(h('li', { class: stepState.toLowerCase() }, text));
  } else if (list) {
    list.textContent = text;
  }
}
