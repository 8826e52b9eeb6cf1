import type { Scenario } from '../../panel/messages';
import { SCENARIOS } from '../../panel/messages';
import { h, replaceChildren } from '../dom';
import type { PanelContext } from './context';
import { sectionErrors, showReply } from './feedback';

const SCENARIO_HELP: Record<Scenario, string> = {
  background: 'Haiku-class background requests',
  think: 'extended thinking on',
  longContext: 'estimated above the long-context threshold',
  webSearch: 'a web search tool present',
  image: 'images in the request',
};

/** Routing: the default endpoint and the scenario routes. */
export class RoutingSection {
  readonly element = h('section', { id: 'routing', class: 'card' });
  /** Created once and moved into each render, so that an update right after an answer does not wipe the answer. */
  private readonly message = h('p', { class: 'message', id: 'routing-section-message' });

  constructor(private readonly context: PanelContext) {}

  render(): void {
    const { store, rpc } = this.context;
    const state = store.state;
    if (!state) return;
    const config = state.config;
    const running = store.running;
    const message = this.message;
    const defaultSelect = h(
      'select',
      {
        id: 'default-endpoint',
        disabled: !running || !config?.endpoints.length,
        oninput: () => store.dirty.add('routing'),
      },
      (config?.endpoints ?? []).map((e) =>
        h('option', { value: e.name, selected: e.name === config?.defaultEndpoint }, e.name),
      ),
    );
    const routes = (
      config?.routes && typeof config.routes === 'object' && !Array.isArray(config.routes) ? config.routes : {}
    ) as Record<string, unknown>;
    const routeInputs = SCENARIOS.map((scenario) =>
      h('input', {
        name: scenario,
        // A route with several targets is a list or an object in the file: shown as JSON so saving keeps it.
        value:
          typeof routes[scenario] === 'string'
            ? (routes[scenario] as string)
            : routes[scenario] === undefined
              ? ''
              : JSON.stringify(routes[scenario]),
        placeholder: 'endpoint,model',
        spellcheck: 'false',
        oninput: () => store.dirty.add('routing'),
      }),
    );
    replaceChildren(
      this.element,
      h('h2', {}, 'Routing'),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'default-endpoint' }, 'Default endpoint'),
        h(
          'div',
          { class: 'inline-controls' },
          defaultSelect,
          h(
            'button',
            {
              id: 'save-default',
              class: 'secondary',
              disabled: !running,
              onclick: async () => {
                store.dirty.delete('routing');
                showReply(
                  message,
                  await rpc.request({ type: 'setDefaultEndpoint', id: rpc.nextId(), name: defaultSelect.value }),
                );
              },
            },
            'Save',
          ),
        ),
        h(
          'small',
          { class: 'muted' },
          'Where requests go unless Claude Code names endpoint,model or a route picks another.',
        ),
        h('div', { class: 'field-error', 'data-field': 'defaultEndpoint' }),
      ),
      state.sections.routes
        ? h(
            'fieldset',
            { id: 'scenario-routes' },
            h('legend', {}, 'Scenario routes'),
            SCENARIOS.flatMap((scenario, i) => [
              h(
                'div',
                { class: 'field row' },
                h('label', {}, scenario, h('small', { class: 'muted' }, ` — ${SCENARIO_HELP[scenario]}`)),
                routeInputs[i],
              ),
              h('div', { class: 'field-error', 'data-field': `routes.${scenario}` }),
            ]),
            h('div', { class: 'field-error', 'data-field': 'routes' }),
            h(
              'p',
              { class: 'muted' },
              'Each is endpoint,model or endpoint; several targets as JSON, e.g. ["anthropic", "glm,glm-4.6"] or {"targets": ["a", "b"], "strategy": "round-robin"}. The long-context threshold is longContextThreshold in the config file (tokens, default 60000).',
            ),
            h(
              'button',
              {
                class: 'secondary',
                disabled: !running,
                onclick: async () => {
                  const reply = await rpc.request({
                    type: 'setRoutes',
                    id: rpc.nextId(),
                    routes: Object.fromEntries(
                      SCENARIOS.map((s, i) => [s, (routeInputs[i] as HTMLInputElement).value]),
                    ),
                  });
                  if (reply.ok) store.dirty.delete('routing');
                  sectionErrors(this.element, reply.fieldErrors);
                  showReply(message, reply);
                },
              },
              'Save routes',
            ),
          )
        : h(
            'p',
            { class: 'muted' },
            'This router version has no scenario routes yet: requests go to the default endpoint, or to the endpoint,model Claude Code names with /model.',
          ),
      message,
    );
  }
}
