/**
 * The settings panel's page. It renders what the extension sends (`ToWebview`) and sends what the user does
 * (`FromWebview`); it holds no secret: a typed API key goes out once with the form and is cleared from the field, and
 * the page never receives a key. Nothing is stored with `setState`, so nothing lingers in the webview's state.
 */
import type {
  EndpointForm,
  FieldErrors,
  FieldName,
  FromWebview,
  PanelState,
  Scenario,
  ToWebview,
} from '../panel/messages';
import { SCENARIOS } from '../panel/messages';
import type { EndpointInfo, EndpointType, RequestInfo, StatsSummaryResult, WireFormat } from '../protocol/protocol';
import { latencyOfRecent, requestsPerMinute, tokensByEndpoint } from './charts';
import { formatMillis, formatNumber, h, replaceChildren } from './dom';

declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void };
const vscode = acquireVsCodeApi();

type Reply = Extract<ToWebview, { type: 'reply' }>;

let state: PanelState | undefined;
let summary: StatsSummaryResult | undefined;
let recent: RequestInfo[] = [];
let nextId = 1;
const pending = new Map<number, (reply: Reply) => void>();
/** Sections the user is editing: a state update must not overwrite what they typed. */
const dirty = new Set<'routing' | 'cache' | 'limits'>();

const app = document.getElementById('app')!;
const sections = {
  header: h('section', { id: 'router', class: 'card' }),
  claude: h('section', { id: 'claude', class: 'card' }),
  endpoints: h('section', { id: 'endpoints', class: 'card' }),
  form: h('section', { id: 'endpoint-form-section', class: 'card', hidden: true }),
  routing: h('section', { id: 'routing', class: 'card' }),
  cache: h('section', { id: 'cache-limits', class: 'card' }),
  stats: h('section', { id: 'stats', class: 'card' }),
};
replaceChildren(app, ...Object.values(sections));

/**
 * The outcome line of each section. Created once and moved into each re-render, so that a state or stats update
 * arriving right after an answer does not wipe the answer.
 */
const messages = {
  claude: h('p', { class: 'message', id: 'routing-message' }),
  endpoints: h('p', { class: 'message', id: 'endpoints-message' }),
  routing: h('p', { class: 'message', id: 'routing-section-message' }),
  cache: h('p', { class: 'message', id: 'cache-message' }),
};

function request(message: FromWebview & { id: number }): Promise<Reply> {
  return new Promise((resolve) => {
    pending.set(message.id, resolve);
    vscode.postMessage(message);
  });
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'state':
      state = message.state;
      renderAll();
      break;
    case 'stats':
      summary = message.summary;
      recent = [...message.recent];
      renderStats();
      renderEndpoints();
      break;
    case 'requestsCompleted': {
      // A push can arrive after a refresh that already listed its requests.
      const known = new Set(recent.map((r) => r.requestId));
      const fresh = message.requests.filter((r) => !known.has(r.requestId)).reverse();
      recent = [...fresh, ...recent].slice(0, 500);
      renderStats();
      break;
    }
    case 'reply':
      pending.get(message.id)?.(message);
      pending.delete(message.id);
      break;
    case 'testProgress':
      testProgress(message.id, `${message.step.toLowerCase().replace('_', ' ')}: ${message.message}`, message.state);
      break;
    case 'testResult':
      break; // the reply that follows carries the message
  }
});

function renderAll(): void {
  renderHeader();
  renderClaude();
  renderEndpoints();
  if (!dirty.has('routing')) renderRouting();
  if (!dirty.has('cache') && !dirty.has('limits')) renderCacheAndLimits();
  renderStats();
}

// ---- header: the router itself ---------------------------------------------------------------------------------

function renderHeader(): void {
  if (!state) return;
  const router = state.router;
  const button = (label: string, command: 'startRouter' | 'restartRouter' | 'showLogs' | 'openConfigFile') =>
    h('button', { class: 'secondary', onclick: () => vscode.postMessage({ type: 'command', command }) }, label);
  let line: (Node | string)[];
  let tone = 'ok';
  if (router.state === 'running' && router.proxy === 'RUNNING') {
    line = ['Router running on ', h('code', {}, router.baseUrl ?? ''), ` · ccr ${router.serverVersion ?? ''}`];
  } else if (router.state === 'running' && router.proxy === 'FAILED' && router.sharedBaseUrl) {
    tone = 'warn';
    line = [
      'Another ccr serves ',
      h('code', {}, router.sharedBaseUrl),
      ' (another window or ccr start); Claude Code’s requests go there, and this window’s router takes over when it stops.',
    ];
  } else if (router.state === 'running') {
    tone = router.proxy === 'FAILED' ? 'error' : 'warn';
    line = [router.lastError ?? `Proxy ${router.proxy?.toLowerCase() ?? ''}`];
  } else if (router.state === 'failed') {
    tone = 'error';
    line = [router.message ?? 'The router is not running.'];
  } else {
    tone = router.state === 'stopped' ? 'warn' : 'ok';
    line = [router.state === 'stopped' ? 'The router is stopped.' : 'The router is starting…'];
  }
  replaceChildren(
    sections.header,
    h('h1', {}, 'Claude Code Router'),
    h('p', { id: 'router-line', class: `status ${tone}` }, ...line),
    h(
      'div',
      { class: 'actions' },
      router.state === 'running' ? button('Restart router', 'restartRouter') : button('Start router', 'startRouter'),
      button('Open config file', 'openConfigFile'),
      button('Show logs', 'showLogs'),
    ),
  );
}

// ---- Claude Code ------------------------------------------------------------------------------------------------

function renderClaude(): void {
  if (!state) return;
  const running = state.router.state === 'running';
  const on = state.routing === 'ON' || state.routing === 'OVERRIDDEN';
  const message = messages.claude;
  const toggle = h('input', {
    type: 'checkbox',
    id: 'routing-switch',
    role: 'switch',
    checked: on,
    disabled: !running,
    onchange: async (event) => {
      const input = event.target as HTMLInputElement;
      input.disabled = true;
      const reply = await request({ type: 'setRouting', id: nextId++, on: input.checked });
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
      const reply = await request({
        type: 'setConfigureExtension',
        id: nextId++,
        on: (event.target as HTMLInputElement).checked,
      });
      showReply(message, reply);
    },
  });
  replaceChildren(
    sections.claude,
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
            { href: '#', onclick: () => vscode.postMessage({ type: 'command', command: 'showClaudeSettingsStatus' }) },
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

// ---- endpoints --------------------------------------------------------------------------------------------------

function keyText(endpoint: EndpointInfo): string {
  switch (endpoint.apiKey) {
    case 'CONFIG':
      return 'in config file';
    case 'ENVIRONMENT':
      return `$${endpoint.apiKeyVariable ?? ''}`;
    case 'ENVIRONMENT_MISSING':
      return `$${endpoint.apiKeyVariable ?? ''} (not set)`;
    default:
      if (state?.storedKeys.includes(endpoint.name)) return 'stored in VS Code';
      return endpoint.type === 'ANTHROPIC' ? 'client’s own key' : 'none';
  }
}

function renderEndpoints(): void {
  if (!state) return;
  const config = state.config;
  const running = state.router.state === 'running';
  const rows = (config?.endpoints ?? []).map((endpoint) => {
    const health = state!.endpoints.find((e) => e.name === endpoint.name);
    const usage = summary?.byEndpoint.find((g) => g.name === endpoint.name)?.usage;
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
      h('td', {}, endpoint.type.toLowerCase(), endpoint.type === 'CUSTOM' ? ` (${endpoint.format.toLowerCase()})` : ''),
      h('td', {}, keyText(endpoint)),
      h('td', { title: health?.lastError ?? '' }, h('span', { class: `dot ${healthText}` }), healthText),
      h('td', { class: 'num' }, formatMillis(usage?.duration?.p50)),
      h('td', { class: 'num' }, usage ? String(usage.requests) : '0'),
      h(
        'td',
        { class: 'row-actions' },
        h('button', { class: 'link', disabled: !running, onclick: () => testConfigured(endpoint.name) }, 'Test'),
        h('button', { class: 'link', disabled: !running, onclick: () => openForm('edit', endpoint) }, 'Edit'),
        isDefault
          ? null
          : h(
              'button',
              { class: 'link', disabled: !running, onclick: () => makeDefault(endpoint.name) },
              'Make default',
            ),
        h('button', { class: 'link danger', disabled: !running, onclick: () => remove(endpoint.name) }, 'Remove'),
      ),
    );
  });
  replaceChildren(
    sections.endpoints,
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
    messages.endpoints,
    h(
      'div',
      { class: 'actions' },
      h('button', { id: 'add-endpoint', disabled: !running, onclick: () => openForm('add') }, 'Add endpoint'),
    ),
  );
}

async function testConfigured(name: string): Promise<void> {
  const message = messages.endpoints;
  const id = nextId++;
  message.dataset.testId = String(id);
  message.className = 'message';
  message.textContent = `Testing "${name}"…`;
  const reply = await request({ type: 'testEndpoint', id, name });
  showReply(message, reply);
}

async function makeDefault(name: string): Promise<void> {
  showReply(messages.endpoints, await request({ type: 'setDefaultEndpoint', id: nextId++, name }));
}

async function remove(name: string): Promise<void> {
  const message = messages.endpoints;
  if (message.dataset.confirm !== name) {
    message.dataset.confirm = name;
    message.className = 'message warn';
    message.textContent = `Click Remove again to remove "${name}" from the config file (its stored key goes too).`;
    return;
  }
  delete message.dataset.confirm;
  showReply(message, await request({ type: 'removeEndpoint', id: nextId++, name }));
}

// ---- the add/edit form --------------------------------------------------------------------------------------------

const TYPES: EndpointType[] = ['ANTHROPIC', 'OPENAI', 'GEMINI', 'CUSTOM'];
const FORMATS: WireFormat[] = ['OPENAI', 'ANTHROPIC', 'GEMINI'];
let formMode: 'add' | 'edit' = 'add';
let editing: EndpointInfo | undefined;

function field(name: FieldName, label: string, control: HTMLElement, hint?: string): HTMLElement {
  control.id = `field-${name}`;
  control.setAttribute('aria-describedby', `error-${name}`);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: `field-${name}` }, label),
    control,
    hint ? h('small', { class: 'muted' }, hint) : null,
    h('div', { class: 'field-error', id: `error-${name}`, 'data-field': name, role: 'alert' }),
  );
}

function openForm(mode: 'add' | 'edit', endpoint?: EndpointInfo): void {
  formMode = mode;
  editing = endpoint;
  const type = endpoint?.type ?? 'ANTHROPIC';
  const select = (name: string, options: string[], value: string) =>
    h(
      'select',
      { name },
      options.map((o) =>
        h('option', { value: o, selected: o === value }, o === '' ? '(default: openai)' : o.toLowerCase()),
      ),
    );
  const typeSelect = select('type', TYPES, type);
  const formatSelect = select('format', ['', ...FORMATS], endpoint?.type === 'CUSTOM' ? endpoint.format : '');
  const formatField = field('format', 'Format', formatSelect, 'The API this URL speaks; custom endpoints only.');
  formatField.hidden = type !== 'CUSTOM';
  typeSelect.addEventListener('change', () => (formatField.hidden = typeSelect.value !== 'CUSTOM'));
  const hasStoredKey = endpoint ? state?.storedKeys.includes(endpoint.name) : false;

  const form = h(
    'form',
    { id: 'endpoint-form', autocomplete: 'off', onsubmit: (event) => (event.preventDefault(), void save()) },
    h('h2', {}, mode === 'add' ? 'Add endpoint' : `Edit endpoint "${endpoint?.name ?? ''}"`),
    field(
      'name',
      'Name',
      h('input', { name: 'name', value: endpoint?.name ?? '', readonly: mode === 'edit', spellcheck: 'false' }),
      'Letters, digits, . _ -; pick it in Claude Code with /model name,model.',
    ),
    field('type', 'Type', typeSelect),
    field(
      'baseUrl',
      'Base URL',
      h('input', {
        name: 'baseUrl',
        value: endpoint?.baseUrl ?? '',
        placeholder: 'https://api.example.com/v1',
        spellcheck: 'false',
      }),
      'The API root with its version segment.',
    ),
    formatField,
    field(
      'apiKey',
      'API key',
      h('input', {
        name: 'apiKey',
        type: 'password',
        value: '',
        autocomplete: 'new-password',
        placeholder: hasStoredKey
          ? 'A key is stored: leave empty to keep it'
          : endpoint?.type === 'ANTHROPIC' || !endpoint
            ? 'Optional'
            : 'Paste the key',
      }),
      'Kept in VS Code’s secret storage, never in the config file; a stored key is never shown.',
    ),
    hasStoredKey
      ? h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'clearApiKey' }), ' Remove the stored key')
      : null,
    field(
      'models',
      'Models',
      h('input', { name: 'models', value: endpoint?.models.join(', ') ?? '', spellcheck: 'false' }),
      'Ids it lists for /model, separated by commas.',
    ),
    field(
      'modelMap',
      'Model map',
      h(
        'textarea',
        { name: 'modelMap', rows: 3, spellcheck: 'false' },
        Object.entries(endpoint?.modelMap ?? {})
          .map(([a, b]) => `${a} = ${b}`)
          .join('\n'),
      ),
      'One "requested = upstream" per line; globs allowed: claude-sonnet-* = glm-4.6',
    ),
    field(
      'headers',
      'Add headers',
      h('textarea', { name: 'headers', rows: 2, spellcheck: 'false', placeholder: 'X-Title: ccr' }),
      'One "Name: value" per line. Values go into the config file: put keys in the API key field instead.',
    ),
    endpoint?.headerNames.length
      ? h(
          'fieldset',
          {},
          h('legend', {}, 'Remove headers'),
          endpoint.headerNames.map((name) =>
            h(
              'label',
              { class: 'inline' },
              h('input', { type: 'checkbox', name: 'removeHeaders', value: name }),
              ` ${name}`,
            ),
          ),
        )
      : null,
    h('div', { class: 'field-error', 'data-field': 'form', id: 'error-form', role: 'alert' }),
    h('ul', { id: 'test-progress', class: 'progress' }),
    h('p', { class: 'message', id: 'form-message' }),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', id: 'form-save' }, mode === 'add' ? 'Add' : 'Save'),
      h('button', { type: 'button', id: 'form-test', class: 'secondary', onclick: () => void testForm() }, 'Test'),
      h('button', { type: 'button', id: 'form-cancel', class: 'secondary', onclick: closeForm }, 'Cancel'),
    ),
  );
  replaceChildren(sections.form, form);
  sections.form.hidden = false;
  (form.querySelector(mode === 'add' ? '[name=name]' : '[name=baseUrl]') as HTMLInputElement).focus();
}

function closeForm(): void {
  sections.form.hidden = true;
  replaceChildren(sections.form);
}

function readForm(): EndpointForm {
  const form = document.getElementById('endpoint-form') as HTMLFormElement;
  const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
  return {
    name: value('name'),
    type: value('type') as EndpointType,
    baseUrl: value('baseUrl'),
    format: value('format') as WireFormat | '',
    models: value('models'),
    modelMap: value('modelMap'),
    headers: value('headers'),
    removeHeaders: [...form.querySelectorAll<HTMLInputElement>('input[name=removeHeaders]:checked')].map(
      (i) => i.value,
    ),
    apiKey: value('apiKey'),
    clearApiKey: (form.elements.namedItem('clearApiKey') as HTMLInputElement | null)?.checked ?? false,
  };
}

function showFieldErrors(errors: FieldErrors | undefined): void {
  document.querySelectorAll<HTMLElement>('#endpoint-form .field-error').forEach((slot) => {
    const text = errors?.[slot.dataset.field as FieldName] ?? '';
    slot.textContent = text;
    slot.previousElementSibling?.classList.toggle('invalid', Boolean(text));
    const control = document.getElementById(`field-${slot.dataset.field ?? ''}`);
    control?.classList.toggle('invalid', Boolean(text));
    control?.setAttribute('aria-invalid', text ? 'true' : 'false');
  });
}

async function save(): Promise<void> {
  const form = readForm();
  const message = document.getElementById('form-message')!;
  message.className = 'message';
  message.textContent = 'Saving…';
  showFieldErrors(undefined);
  const reply = await request({ type: 'saveEndpoint', id: nextId++, mode: formMode, form });
  if (reply.ok) {
    closeForm();
    showReply(messages.endpoints, reply);
  } else {
    showFieldErrors(reply.fieldErrors);
    message.className = 'message error';
    message.textContent =
      reply.fieldErrors && Object.keys(reply.fieldErrors).some((f) => f !== 'form')
        ? 'Fix the fields marked above.'
        : '';
  }
}

async function testForm(): Promise<void> {
  const id = nextId++;
  const list = document.getElementById('test-progress')!;
  list.dataset.testId = String(id);
  replaceChildren(list);
  const message = document.getElementById('form-message')!;
  message.className = 'message';
  message.textContent = 'Testing…';
  showFieldErrors(undefined);
  const form = readForm();
  // An edited endpoint without a new key is tested as configured, stored key included.
  const unchanged =
    formMode === 'edit' &&
    editing &&
    !form.apiKey &&
    form.baseUrl.trim() === editing.baseUrl &&
    form.type === editing.type;
  const reply = await request({ type: 'testEndpoint', id, name: form.name, form: unchanged ? undefined : form });
  showFieldErrors(reply.fieldErrors);
  showReply(message, reply);
}

function testProgress(id: number, text: string, stepState: string): void {
  const list = document.querySelector<HTMLElement>(`[data-test-id="${id}"]`);
  if (list?.tagName === 'UL') {
    list.appendChild(h('li', { class: stepState.toLowerCase() }, text));
  } else if (list) {
    list.textContent = text;
  }
}

// ---- routing ----------------------------------------------------------------------------------------------------

function renderRouting(): void {
  if (!state) return;
  const config = state.config;
  const running = state.router.state === 'running';
  const message = messages.routing;
  const defaultSelect = h(
    'select',
    { id: 'default-endpoint', disabled: !running || !config?.endpoints.length, oninput: () => dirty.add('routing') },
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
      oninput: () => dirty.add('routing'),
    }),
  );
  const scenarioHelp: Record<Scenario, string> = {
    background: 'Haiku-class background requests',
    think: 'extended thinking on',
    longContext: 'estimated above the long-context threshold',
    webSearch: 'a web search tool present',
    image: 'images in the request',
  };
  replaceChildren(
    sections.routing,
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
              dirty.delete('routing');
              showReply(
                message,
                await request({ type: 'setDefaultEndpoint', id: nextId++, name: defaultSelect.value }),
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
              h('label', {}, scenario, h('small', { class: 'muted' }, ` — ${scenarioHelp[scenario]}`)),
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
                const reply = await request({
                  type: 'setRoutes',
                  id: nextId++,
                  routes: Object.fromEntries(SCENARIOS.map((s, i) => [s, (routeInputs[i] as HTMLInputElement).value])),
                });
                if (reply.ok) dirty.delete('routing');
                sectionErrors(sections.routing, reply.fieldErrors);
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

// ---- cache and limits ---------------------------------------------------------------------------------------------

function renderCacheAndLimits(): void {
  if (!state) return;
  const config = state.config;
  const running = state.router.state === 'running';
  const message = messages.cache;
  const enabled = h('input', {
    type: 'checkbox',
    id: 'cache-enabled',
    checked: config?.cache.enabled ?? false,
    oninput: () => dirty.add('cache'),
  });
  const ttl = h('input', {
    id: 'cache-ttl',
    value: String(config?.cache.ttlSeconds ?? 3600),
    inputmode: 'numeric',
    oninput: () => dirty.add('cache'),
  });
  const limits = h(
    'textarea',
    { id: 'limits', rows: 4, spellcheck: 'false', oninput: () => dirty.add('limits') },
    config?.limits !== undefined ? JSON.stringify(config.limits, null, 2) : '',
  );
  replaceChildren(
    sections.cache,
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
          const reply = await request({
            type: 'setCache',
            id: nextId++,
            enabled: (enabled as HTMLInputElement).checked,
            ttlSeconds: (ttl as HTMLInputElement).value,
          });
          if (reply.ok) dirty.delete('cache');
          sectionErrors(sections.cache, reply.fieldErrors);
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
                const reply = await request({
                  type: 'setLimits',
                  id: nextId++,
                  text: (limits as HTMLTextAreaElement).value,
                });
                if (reply.ok) dirty.delete('limits');
                sectionErrors(sections.cache, reply.fieldErrors);
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

function sectionErrors(section: HTMLElement, errors: FieldErrors | undefined): void {
  section.querySelectorAll<HTMLElement>('.field-error').forEach((slot) => {
    slot.textContent = errors?.[slot.dataset.field as FieldName] ?? '';
  });
}

// ---- live stats ---------------------------------------------------------------------------------------------------

function renderStats(): void {
  if (!state) return;
  if (state.router.state !== 'running' || !summary) {
    replaceChildren(
      sections.stats,
      h('h2', {}, 'Live stats'),
      h('p', { class: 'muted' }, state.router.state === 'running' ? 'Loading…' : 'Start the router to see its stats.'),
    );
    return;
  }
  const total = summary.total;
  const tile = (id: string, label: string, value: string, detail?: string) =>
    h(
      'div',
      { class: 'tile', id },
      h('span', { class: 'tile-value' }, value),
      h('span', { class: 'tile-label' }, label),
      detail ? h('span', { class: 'muted' }, detail) : null,
    );
  // Requests pushed since the summary was read are counted in `recent` already; the summary catches up within a second.
  const since = new Date(summary.since);
  replaceChildren(
    sections.stats,
    h('h2', {}, 'Live stats', h('small', { class: 'muted' }, ` since ${since.toLocaleTimeString()}`)),
    state.router.sharedBaseUrl
      ? h(
          'p',
          { class: 'muted' },
          `Requests are served by the ccr at ${state.router.sharedBaseUrl}; its window shows their stats.`,
        )
      : null,
    h(
      'div',
      { class: 'tiles' },
      tile(
        'stat-requests',
        'requests',
        formatNumber(total.requests),
        total.errors ? `${total.errors} failed` : undefined,
      ),
      tile(
        'stat-latency',
        'latency p50 / p90',
        `${formatMillis(total.duration?.p50)} / ${formatMillis(total.duration?.p90)}`,
      ),
      tile('stat-ttfb', 'first byte p50', formatMillis(total.timeToFirstByte?.p50)),
      tile(
        'stat-tokens',
        'tokens in / out',
        `${formatNumber(total.inputTokens)} / ${formatNumber(total.outputTokens)}`,
      ),
      tile('stat-cache-reads', 'prompt cache reads', formatNumber(total.cacheReadTokens)),
      tile('stat-cache-hits', 'router cache hits', formatNumber(total.cacheHits)),
      tile(
        'stat-cost',
        'cost',
        state.costs && total.costUsd !== undefined ? formatUsd(total.costUsd) : '—',
        !state.costs
          ? 'no pricing in this build'
          : total.costUsd === undefined && total.requests > 0
            ? 'a model without a known price (see pricing in the config)'
            : undefined,
      ),
    ),
    h(
      'div',
      { class: 'charts' },
      requestsPerMinute(recent),
      latencyOfRecent(recent),
      tokensByEndpoint(summary.byEndpoint),
    ),
    h(
      'details',
      {},
      h('summary', {}, `Latest requests (${Math.min(recent.length, 20)})`),
      h(
        'table',
        { class: 'requests' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Time', 'Model', 'Endpoint', 'Status', 'Duration', 'Tokens'].map((t) => h('th', {}, t)),
          ),
        ),
        h(
          'tbody',
          {},
          recent
            .slice(0, 20)
            .map((r) =>
              h(
                'tr',
                { class: r.status >= 400 || r.errorType ? 'failed' : '' },
                h('td', {}, new Date(r.startedAt).toLocaleTimeString()),
                h('td', {}, r.requestedModel ?? ''),
                h('td', {}, r.endpoint ?? '—'),
                h('td', { title: r.errorType ?? '' }, String(r.status)),
                h('td', { class: 'num' }, formatMillis(r.durationMillis)),
                h('td', { class: 'num' }, `${formatNumber(r.inputTokens)} / ${formatNumber(r.outputTokens)}`),
              ),
            ),
        ),
      ),
    ),
  );
}

function formatUsd(value: number): string {
  return value > 0 && value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}

function showReply(element: HTMLElement, reply: Reply): void {
  element.className = `message ${reply.ok ? 'ok' : 'error'}`;
  element.textContent = reply.message;
}

vscode.postMessage({ type: 'ready' });
