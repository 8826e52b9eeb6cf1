import * as vscode from 'vscode';
import type { ApiKeyStore } from '../credentials/apiKeyStore';
import type { Logger } from '../log';
import { fieldErrorsOf } from '../panel/fieldErrors';
import type { FieldErrors } from '../panel/messages';
import {
  Methods,
  type EndpointInfo,
  type EndpointSettings,
  type EndpointType,
  type WireFormat,
} from '../protocol/protocol';
import type { ConfigTracker } from '../sidecar/configTracker';
import type { RouterService, RouterSession } from '../sidecar/routerService';

export interface WizardDeps {
  readonly router: RouterService;
  readonly config: ConfigTracker;
  readonly apiKeys: ApiKeyStore;
  readonly logger: Logger;
}

/** Where an endpoint of each kind usually lives; the user can change every value. */
interface Preset {
  readonly label: string;
  readonly detail: string;
  readonly type: EndpointType;
  readonly name: string;
  readonly baseUrl: string;
  readonly format?: WireFormat;
}

const PRESETS: readonly Preset[] = [
  {
    label: 'Anthropic',
    detail: 'The Anthropic Messages API; requests pass through untouched',
    type: 'ANTHROPIC',
    name: 'anthropic',
    baseUrl: 'https://api.anthropic.com/v1',
  },
  {
    label: 'OpenAI',
    detail: 'OpenAI chat completions',
    type: 'OPENAI',
    name: 'openai',
    baseUrl: 'https://api.openai.com/v1',
  },
  {
    label: 'Gemini',
    detail: 'Google Gemini',
    type: 'GEMINI',
    name: 'gemini',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta',
  },
  {
    label: 'DeepSeek',
    detail: 'OpenAI-compatible',
    type: 'CUSTOM',
    name: 'deepseek',
    baseUrl: 'https://api.deepseek.com/v1',
  },
  {
    label: 'GLM (Zhipu)',
    detail: 'OpenAI-compatible',
    type: 'CUSTOM',
    name: 'glm',
    baseUrl: 'https://open.bigmodel.cn/api/paas/v4',
  },
  {
    label: 'OpenRouter',
    detail: 'OpenAI-compatible',
    type: 'CUSTOM',
    name: 'openrouter',
    baseUrl: 'https://openrouter.ai/api/v1',
  },
  {
    label: 'Ollama',
    detail: 'A local OpenAI-compatible server',
    type: 'CUSTOM',
    name: 'ollama',
    baseUrl: 'http://localhost:11434/v1',
  },
  {
    label: 'Other…',
    detail: 'Any URL: OpenAI chat-completions format unless you choose another',
    type: 'CUSTOM',
    name: '',
    baseUrl: '',
  },
];

const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;

/** The running router, or a message that says how to start it. */
export function requireSession(router: RouterService): RouterSession | undefined {
  const session = router.session;
  if (!session) {
    void vscode.window
      .showWarningMessage('The router is not running, so nothing can be changed now.', 'Start Router', 'Show Logs')
      .then((choice) => {
        if (choice === 'Start Router') {
          void vscode.commands.executeCommand('ccr.startRouter');
        } else if (choice === 'Show Logs') {
          void vscode.commands.executeCommand('ccr.showLogs');
        }
      });
  }
  return session;
}

/** Asks for an endpoint; undefined when cancelled or there is none. */
export async function pickEndpoint(deps: WizardDeps, title: string): Promise<EndpointInfo | undefined> {
  const config = deps.config.current;
  if (!config?.endpoints.length) {
    void vscode.window.showInformationMessage('No endpoints are configured yet; add one first.');
    return undefined;
  }
  const withKeys = await deps.apiKeys.endpointsWithKeys();
  const picked = await vscode.window.showQuickPick(
    config.endpoints.map((endpoint) => ({
      label: endpoint.name,
      description: `${endpoint.type.toLowerCase()} · ${endpoint.baseUrl}`,
      detail: [
        endpoint.name === config.defaultEndpoint ? 'default endpoint' : undefined,
        keyDescription(endpoint, withKeys.has(endpoint.name)),
      ]
        .filter(Boolean)
        .join(' · '),
      endpoint,
    })),
    { title, placeHolder: 'Endpoint' },
  );
  return picked?.endpoint;
}

export function keyDescription(endpoint: EndpointInfo, storedInVsCode: boolean): string {
  switch (endpoint.apiKey) {
    case 'CONFIG':
      return 'key in the config file';
    case 'ENVIRONMENT':
      return `key from $${endpoint.apiKeyVariable}`;
    case 'ENVIRONMENT_MISSING':
      return `key from $${endpoint.apiKeyVariable}, which is not set`;
    default:
      if (storedInVsCode) {
        return 'key in VS Code';
      }
      return endpoint.type === 'ANTHROPIC' ? "no key: forwards Claude Code's own" : 'no key';
  }
}

/**
 * Adds an endpoint in guided steps. Each value is checked locally for form (name characters, an http URL), then the
 * whole endpoint by the sidecar in a dry run; an error goes back to the step it concerns, shown under the input, until
 * the user fixes it or gives up. The key is stored only once the endpoint exists.
 */
export async function addEndpoint(deps: WizardDeps): Promise<string | undefined> {
  const session = requireSession(deps.router);
  if (!session) {
    return undefined;
  }
  const preset = await vscode.window.showQuickPick(
    PRESETS.map((p) => ({ label: p.label, detail: p.detail, preset: p })),
    { title: 'Add endpoint (1/4): what does it speak?', placeHolder: 'API type' },
  );
  if (!preset) {
    return undefined;
  }
  const existing = new Set(deps.config.current?.endpoints.map((e) => e.name) ?? []);
  const draft = {
    type: preset.preset.type,
    name: uniqueName(preset.preset.name, existing),
    baseUrl: preset.preset.baseUrl,
    format: preset.preset.format as WireFormat | undefined,
    apiKey: '',
  };
  let errors: FieldErrors = {};
  let first = true;
  for (;;) {
    if (first || errors.name) {
      const name = await askText({
        title: 'Add endpoint (2/4): name',
        prompt: 'Letters, digits, . _ -. Claude Code can pick it with /model <name>,<model>.',
        value: draft.name,
        check: (v) =>
          !NAME_PATTERN.test(v.trim())
            ? 'Use letters, digits, ".", "_" and "-" only.'
            : existing.has(v.trim())
              ? `An endpoint named "${v.trim()}" exists already.`
              : undefined,
        serverError: errors.name,
      });
      if (name === undefined) return undefined;
      draft.name = name.trim();
    }
    if (first || errors.baseUrl) {
      const baseUrl = await askText({
        title: 'Add endpoint (3/4): base URL',
        prompt: 'The API root including its version segment, such as https://api.deepseek.com/v1.',
        value: draft.baseUrl,
        check: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'Write an http:// or https:// URL.'),
        serverError: errors.baseUrl,
      });
      if (baseUrl === undefined) return undefined;
      draft.baseUrl = baseUrl.trim();
    }
    if (draft.type === 'CUSTOM' && (first || errors.format)) {
      const format = await vscode.window.showQuickPick(
        [
          { label: 'OpenAI chat completions', format: 'OPENAI' as WireFormat, picked: true },
          { label: 'Anthropic Messages', format: 'ANTHROPIC' as WireFormat },
          { label: 'Gemini', format: 'GEMINI' as WireFormat },
        ],
        { title: 'Add endpoint: which format does this URL speak?' },
      );
      if (!format) return undefined;
      draft.format = format.format;
    }
    if (first) {
      const apiKey = await vscode.window.showInputBox({
        title: 'Add endpoint (4/4): API key',
        prompt:
          draft.type === 'ANTHROPIC'
            ? "Kept in VS Code's secret storage. Leave empty to forward Claude Code's own key."
            : "Kept in VS Code's secret storage, never in a file. Leave empty if the endpoint needs none.",
        password: true,
        ignoreFocusOut: true,
      });
      if (apiKey === undefined) return undefined;
      draft.apiKey = apiKey.trim();
    }
    first = false;

    const settings: EndpointSettings = {
      name: draft.name,
      type: draft.type,
      baseUrl: draft.baseUrl,
      ...(draft.format ? { format: draft.format } : {}),
    };
    const index = deps.config.current?.endpoints.length ?? 0;
    try {
      await session.connection.request(Methods.addEndpoint, { endpoint: settings, dryRun: true });
    } catch (e) {
      errors = fieldErrorsOf(e, index);
      if (errors.form || !Object.keys(errors).length) {
        throw e;
      }
      continue;
    }
    await session.connection.request(Methods.addEndpoint, { endpoint: settings, dryRun: false });
    if (draft.apiKey) {
      await deps.apiKeys.set(draft.name, draft.apiKey);
    }
    deps.logger.info(`endpoint "${draft.name}" added (${draft.type.toLowerCase()}, ${draft.baseUrl})`);
    const next = await vscode.window.showInformationMessage(
      `Endpoint "${draft.name}" added.`,
      'Test It',
      'Make It the Default',
    );
    if (next === 'Test It') {
      await vscode.commands.executeCommand('ccr.testEndpoint', draft.name);
    } else if (next === 'Make It the Default') {
      await session.connection.request(Methods.setDefaultEndpoint, { name: draft.name, dryRun: false });
    }
    return draft.name;
  }
}

/** Changes one property of an endpoint; errors from the sidecar come back to the same input. */
export async function editEndpoint(deps: WizardDeps, name?: string): Promise<void> {
  const session = requireSession(deps.router);
  if (!session) {
    return;
  }
  const endpoint = name
    ? deps.config.current?.endpoints.find((e) => e.name === name)
    : await pickEndpoint(deps, 'Edit endpoint');
  if (!endpoint) {
    return;
  }
  type Property = 'baseUrl' | 'type' | 'format' | 'models' | 'modelMap' | 'removeHeader' | 'apiKey';
  const properties: { label: string; description: string; property: Property }[] = [
    { label: 'Base URL', description: endpoint.baseUrl, property: 'baseUrl' },
    { label: 'Type', description: endpoint.type.toLowerCase(), property: 'type' },
    ...(endpoint.type === 'CUSTOM'
      ? [{ label: 'Format', description: endpoint.format.toLowerCase(), property: 'format' as Property }]
      : []),
    { label: 'Models', description: endpoint.models.join(', ') || 'none listed', property: 'models' },
    {
      label: 'Model map',
      description:
        Object.entries(endpoint.modelMap)
          .map(([from, to]) => `${from}=${to}`)
          .join(', ') || 'none',
      property: 'modelMap',
    },
    ...(endpoint.headerNames.length
      ? [
          {
            label: 'Remove a header',
            description: endpoint.headerNames.join(', '),
            property: 'removeHeader' as Property,
          },
        ]
      : []),
    { label: 'API key', description: 'set or clear the key kept in VS Code', property: 'apiKey' },
  ];
  const picked = await vscode.window.showQuickPick(properties, { title: `Edit endpoint "${endpoint.name}"` });
  if (!picked) {
    return;
  }
  if (picked.property === 'apiKey') {
    await setApiKey(deps, endpoint.name);
    return;
  }
  let serverError: string | undefined;
  for (;;) {
    const change = await askChange(picked.property, endpoint, serverError);
    if (!change) {
      return;
    }
    const index = deps.config.current?.endpoints.findIndex((e) => e.name === endpoint.name);
    try {
      await session.connection.request(Methods.updateEndpoint, {
        endpoint: { name: endpoint.name, ...change },
        dryRun: false,
      });
    } catch (e) {
      const field = picked.property === 'removeHeader' ? 'headers' : picked.property;
      serverError = fieldErrorsOf(e, index)[field];
      if (!serverError) {
        throw e;
      }
      continue;
    }
    deps.logger.info(`endpoint "${endpoint.name}" changed (${picked.label.toLowerCase()})`);
    void vscode.window.showInformationMessage(`Endpoint "${endpoint.name}" saved.`);
    return;
  }
}

async function askChange(
  property: 'baseUrl' | 'type' | 'format' | 'models' | 'modelMap' | 'removeHeader',
  endpoint: EndpointInfo,
  serverError: string | undefined,
): Promise<Partial<EndpointSettings> | undefined> {
  switch (property) {
    case 'baseUrl': {
      const value = await askText({
        title: `Base URL of "${endpoint.name}"`,
        prompt: 'The API root including its version segment.',
        value: endpoint.baseUrl,
        check: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'Write an http:// or https:// URL.'),
        serverError,
      });
      return value === undefined ? undefined : { baseUrl: value.trim() };
    }
    case 'type': {
      const picked = await vscode.window.showQuickPick(
        (['ANTHROPIC', 'OPENAI', 'GEMINI', 'CUSTOM'] as EndpointType[]).map((type) => ({
          label: type.toLowerCase(),
          type,
        })),
        { title: `Type of "${endpoint.name}"`, placeHolder: serverError },
      );
      return picked ? { type: picked.type } : undefined;
    }
    case 'format': {
      const picked = await vscode.window.showQuickPick(
        (['OPENAI', 'ANTHROPIC', 'GEMINI'] as WireFormat[]).map((format) => ({ label: format.toLowerCase(), format })),
        { title: `Format of "${endpoint.name}"`, placeHolder: serverError },
      );
      return picked ? { format: picked.format } : undefined;
    }
    case 'models': {
      const value = await askText({
        title: `Models of "${endpoint.name}"`,
        prompt: 'The model ids it lists for /model, separated by commas; empty lists none.',
        value: endpoint.models.join(', '),
        serverError,
      });
      return value === undefined
        ? undefined
        : {
            models: value
              .split(',')
              .map((m) => m.trim())
              .filter(Boolean),
          };
    }
    case 'modelMap': {
      const value = await askText({
        title: `Model map of "${endpoint.name}"`,
        prompt: 'requested=upstream pairs separated by commas, globs allowed: claude-sonnet-*=glm-4.6',
        value: Object.entries(endpoint.modelMap)
          .map(([from, to]) => `${from}=${to}`)
          .join(', '),
        check: (v) =>
          v
            .split(',')
            .filter((pair) => pair.trim())
            .every((pair) => /^[^=]+=[^=]+$/.test(pair.trim()))
            ? undefined
            : 'Write requested=upstream pairs separated by commas.',
        serverError,
      });
      if (value === undefined) {
        return undefined;
      }
      const modelMap: Record<string, string> = {};
      for (const pair of value.split(',').filter((p) => p.trim())) {
        const [from, to] = pair.split('=');
        modelMap[from.trim()] = to.trim();
      }
      return { modelMap };
    }
    case 'removeHeader': {
      const picked = await vscode.window.showQuickPick(endpoint.headerNames, {
        title: `Remove a header of "${endpoint.name}"`,
        placeHolder: serverError,
      });
      return picked ? { removeHeaders: [picked] } : undefined;
    }
  }
}

/** Sets the key of an endpoint in the secret storage; the sidecar is told to forget what it remembered. */
export async function setApiKey(deps: WizardDeps, name?: string): Promise<void> {
  const endpoint = name
    ? deps.config.current?.endpoints.find((e) => e.name === name)
    : await pickEndpoint(deps, 'Set API key');
  if (!endpoint) {
    return;
  }
  if (endpoint.apiKey === 'CONFIG' || endpoint.apiKey === 'ENVIRONMENT') {
    const go = await vscode.window.showWarningMessage(
      `Endpoint "${endpoint.name}" has its key in the config file, which wins over a key kept in VS Code.`,
      'Set It Anyway',
    );
    if (go !== 'Set It Anyway') {
      return;
    }
  }
  const key = await vscode.window.showInputBox({
    title: `API key of "${endpoint.name}"`,
    prompt: "Kept in VS Code's secret storage; the router asks for it when a request needs it.",
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Paste the key, or press Escape.'),
  });
  if (!key) {
    return;
  }
  await deps.apiKeys.set(endpoint.name, key);
  deps.logger.info(`API key of endpoint "${endpoint.name}" stored in the secret storage`);
  void vscode.window.showInformationMessage(`API key of "${endpoint.name}" stored.`);
}

export async function clearApiKey(deps: WizardDeps): Promise<void> {
  const withKeys = await deps.apiKeys.endpointsWithKeys();
  if (!withKeys.size) {
    void vscode.window.showInformationMessage('No endpoint has an API key in VS Code.');
    return;
  }
  const name = await vscode.window.showQuickPick([...withKeys], { title: 'Clear the API key of…' });
  if (!name) {
    return;
  }
  await deps.apiKeys.clear(name);
  deps.logger.info(`API key of endpoint "${name}" removed from the secret storage`);
  void vscode.window.showInformationMessage(`API key of "${name}" removed.`);
}

export async function removeEndpoint(deps: WizardDeps): Promise<void> {
  const session = requireSession(deps.router);
  const endpoint = session && (await pickEndpoint(deps, 'Remove endpoint'));
  if (!session || !endpoint) {
    return;
  }
  const sure = await vscode.window.showWarningMessage(
    `Remove endpoint "${endpoint.name}" from the config file?`,
    { modal: true, detail: 'Its API key kept in VS Code is removed too.' },
    'Remove',
  );
  if (sure !== 'Remove') {
    return;
  }
  await session.connection.request(Methods.removeEndpoint, { name: endpoint.name, dryRun: false });
  await deps.apiKeys.clear(endpoint.name);
  deps.logger.info(`endpoint "${endpoint.name}" removed`);
}

function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!base || !taken.has(base)) {
    return base;
  }
  for (let i = 2; ; i++) {
    if (!taken.has(`${base}-${i}`)) {
      return `${base}-${i}`;
    }
  }
}

/**
 * An input box that checks the value as it is typed, and shows the sidecar's verdict on a value it refused until the
 * user changes that value.
 */
async function askText(options: {
  title: string;
  prompt: string;
  value: string;
  check?: (value: string) => string | undefined;
  serverError?: string;
}): Promise<string | undefined> {
  const refused = options.serverError ? options.value : undefined;
  return vscode.window.showInputBox({
    title: options.title,
    prompt: options.prompt,
    value: options.value,
    ignoreFocusOut: true,
    validateInput: (value) => options.check?.(value) ?? (value === refused ? options.serverError : undefined),
  });
}
