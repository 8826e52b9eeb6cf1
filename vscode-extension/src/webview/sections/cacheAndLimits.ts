import { h, replaceChildren } from '../dom';
import type { PanelContext } from './context';
import { sectionErrors, showReply } from './feedback';

/** The response cache (on/off, how long answers are kept) and the config file's `limits` section as JSON. */
export class CacheAndLimitsSection {
  readonly element = h('section', { id: 'cache-limits', class: 'card' });
  /** Created once and moved into each render, so that an update right after an answer does not wipe the answer. */
  private readonly message = h('p', { class: 'message', id: 'cache-message' });

  constructor(private readonly context: PanelContext) {}

  render(): void {
    const { store, rpc } = this.context;
    const state = store.state;
    if (!state) return;
    const config = state.config;
    const running = store.running;
    const message = this.message;
    const enabled = h('input', {
      type: 'checkbox',
      id: 'cache-enabled',
      checked: config?.cache.enabled ?? false,
      oninput: () => store.dirty.add('cache'),
    });
    const ttl = h('input', {
      id: 'cache-ttl',
      value: String(config?.cache.ttlSeconds ?? 3600),
      inputmode: 'numeric',
      oninput: () => store.dirty.add('cache'),
    });
    const limits = h(
      'textarea',
      { id: 'limits', rows: 4, spellcheck: 'false', oninput: () => store.dirty.add('limits') },
      config?.limits !== undefined ? JSON.stringify(config.limits, null, 2) : '',
    );
    replaceChildren(
      this.element,
      h('h2', {}, 'Cache and limits'),
      h('label', { class: 'switch' }, enabled, h('span', {}, 'Replay identical requests from the response cache')),
      h('div', { class: 'field row' }, h('label', { for: 'cache-ttl' }, 'Keep answers for (seconds)'), ttl),
      h('div', { class: 'field-error', 'data-field': 'cache.ttl' }),
      h('div', { class: 'field-error', 'data-field': 'cache.enabled' }),
      h(
        'button',
        {
          class: 'secondary',
          disabled: !running,
          onclick: async () => {
            const reply = await rpc.request({
              type: 'setCache',
              id: rpc.nextId(),
              enabled: (enabled as HTMLInputElement).checked,
              ttlSeconds: (ttl as HTMLInputElement).value,
            });
            if (reply.ok) store.dirty.delete('cache');
            sectionErrors(this.element, reply.fieldErrors);
            showReply(message, reply);
          },
        },
        'Save cache',
      ),
      state.sections.limits
        ? h(
            'div',
            { class: 'field' },
            h('label', { for: 'limits' }, 'Limits (the config file’s "limits" section, JSON)'),
            limits,
            h('div', { class: 'field-error', 'data-field': 'limits' }),
            h(
              'button',
              {
                class: 'secondary',
                disabled: !running,
                onclick: async () => {
                  const reply = await rpc.request({
                    type: 'setLimits',
                    id: rpc.nextId(),
                    text: (limits as HTMLTextAreaElement).value,
                  });
                  if (reply.ok) store.dirty.delete('limits');
                  sectionErrors(this.element, reply.fieldErrors);
                  showReply(message, reply);
                },
              },
              'Save limits',
            ),
          )
        : h('p', { class: 'muted' }, 'This router version has no rate limits or budgets yet.'),
      message,
    );
  }
}
