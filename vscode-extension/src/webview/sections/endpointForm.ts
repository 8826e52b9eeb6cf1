import type { EndpointForm, FieldErrors, FieldName } from '../../panel/messages';
import type { EndpointInfo, EndpointType, WireFormat } from '../../protocol/protocol';
import { h, replaceChildren } from '../dom';
import type { PanelContext } from './context';
import { showReply } from './feedback';

const TYPES: EndpointType[] = ['ANTHROPIC', 'OPENAI', 'GEMINI', 'CUSTOM'];
const FORMATS: WireFormat[] = ['OPENAI', 'ANTHROPIC', 'GEMINI'];

/**
 * The form that adds or edits an endpoint. The router validates it; its errors show next to the fields. A typed API
 * key goes out once with the form and never comes back: a stored key is never shown.
 */
export class EndpointFormSection {
  readonly element = h('section', { id: 'endpoint-form-section', class: 'card', hidden: true });
  private mode: 'add' | 'edit' = 'add';
  private editing: EndpointInfo | undefined;

  constructor(
    private readonly context: PanelContext,
    /** Where a saved endpoint is announced once the form has closed. */
    private readonly outcome: () => HTMLElement,
  ) {}

  open(mode: 'add' | 'edit', endpoint?: EndpointInfo): void {
    this.mode = mode;
    this.editing = endpoint;
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
    const hasStoredKey = endpoint ? this.context.store.state?.storedKeys.includes(endpoint.name) : false;

    const form = h(
      'form',
      { id: 'endpoint-form', autocomplete: 'off', onsubmit: (event) => (event.preventDefault(), void this.save()) },
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
        ? h(
            'label',
            { class: 'inline' },
            h('input', { type: 'checkbox', name: 'clearApiKey' }),
            ' Remove the stored key',
          )
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
        h('button', { type: 'button', id: 'form-test', class: 'secondary', onclick: () => void this.test() }, 'Test'),
        h('button', { type: 'button', id: 'form-cancel', class: 'secondary', onclick: () => this.close() }, 'Cancel'),
      ),
    );
    replaceChildren(this.element, form);
    this.element.hidden = false;
    (form.querySelector(mode === 'add' ? '[name=name]' : '[name=baseUrl]') as HTMLInputElement).focus();
  }

  private close(): void {
    this.element.hidden = true;
    replaceChildren(this.element);
  }

  private read(): EndpointForm {
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

  private async save(): Promise<void> {
    const { rpc } = this.context;
    const form = this.read();
    const message = document.getElementById('form-message')!;
    message.className = 'message';
    message.textContent = 'Saving…';
    showFieldErrors(undefined);
    const reply = await rpc.request({ type: 'saveEndpoint', id: rpc.nextId(), mode: this.mode, form });
    if (reply.ok) {
      this.close();
      showReply(this.outcome(), reply);
    } else {
      showFieldErrors(reply.fieldErrors);
      message.className = 'message error';
      message.textContent =
        reply.fieldErrors && Object.keys(reply.fieldErrors).some((f) => f !== 'form')
          ? 'Fix the fields marked above.'
          : '';
    }
  }

  private async test(): Promise<void> {
    const { rpc } = this.context;
    const id = rpc.nextId();
    const list = document.getElementById('test-progress')!;
    // The test's progress is listed here: see showTestProgress.
    list.dataset.testId = String(id);
    replaceChildren(list);
    const message = document.getElementById('form-message')!;
    message.className = 'message';
    message.textContent = 'Testing…';
    showFieldErrors(undefined);
    const form = this.read();
    // An edited endpoint without a new key is tested as configured, stored key included.
    const editing = this.editing;
    const unchanged =
      this.mode === 'edit' &&
      editing &&
      !form.apiKey &&
      form.baseUrl.trim() === editing.baseUrl &&
      form.type === editing.type;
    const reply = await rpc.request({ type: 'testEndpoint', id, name: form.name, form: unchanged ? undefined : form });
    showFieldErrors(reply.fieldErrors);
    showReply(message, reply);
  }
}

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
