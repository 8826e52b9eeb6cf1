import type { RoutingController } from '../claude/routingController';
import type { ApiKeyStore } from '../credentials/apiKeyStore';
import type { Logger } from '../log';
import {
  Methods,
  type ConfigResult,
  type EndpointTestProgressParams,
  type JsonValue,
  type RequestsCompletedParams,
} from '../protocol/protocol';
import type { RouterSession, RouterState } from '../sidecar/routerService';
import type { SharedRouter } from '../status/sharedRouter';
import { settingsFromForm } from './endpointForm';
import { fieldErrorsOf } from './fieldErrors';
import { SCENARIOS } from './messages';
import type {
  EndpointForm,
  FieldErrors,
  FromWebview,
  PanelCommand,
  PanelState,
  RouterView,
  ToWebview,
} from './messages';

export interface PanelControllerDeps {
  readonly routerState: () => RouterState;
  readonly config: () => ConfigResult | undefined;
  readonly shared: () => SharedRouter | undefined;
  readonly apiKeys: ApiKeyStore;
  readonly routing: RoutingController;
  readonly claudeCodeExtensionInstalled: () => boolean;
  /** The `ccr.claudeCode.configureExtension` setting. */
  readonly configureExtension: { get(): boolean; set(on: boolean): PromiseLike<void> };
  readonly post: (message: ToWebview) => void;
  readonly runCommand: (command: PanelCommand) => void;
  readonly logger: Logger;
}

let instances = 0;

/**
 * The settings panel's logic, without the webview: answers each message from the page with protocol requests to the
 * sidecar, puts the sidecar's validation errors next to the fields they concern, and keeps the page's state and stats
 * current. API keys go from the page to the secret storage and nowhere else; the page only ever learns which endpoints
 * have one.
 */
export class PanelController {
  private readonly instance = ++instances;
  private summaryRefresh: NodeJS.Timeout | undefined;

  constructor(private readonly deps: PanelControllerDeps) {}

  async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.pushState();
        await this.pushStats();
        return;
      case 'command':
        this.deps.runCommand(message.command);
        return;
      case 'saveEndpoint':
        return this.reply(message.id, () => this.saveEndpoint(message.mode, message.form));
      case 'removeEndpoint':
        return this.reply(message.id, async () => {
          await this.session().connection.request(Methods.removeEndpoint, { name: message.name, dryRun: false });
          await this.deps.apiKeys.clear(message.name);
          return `Endpoint "${message.name}" removed.`;
        });
      case 'testEndpoint':
        return this.testEndpoint(message.id, message.name, message.form);
      case 'setDefaultEndpoint':
        return this.reply(message.id, async () => {
          await this.session().connection.request(Methods.setDefaultEndpoint, { name: message.name, dryRun: false });
          return `Requests go to "${message.name}" unless a route picks another endpoint.`;
        });
      case 'setCache':
        return this.reply(message.id, async () => {
          const ttl = parseWholeNumber(message.ttlSeconds);
          if (ttl === undefined) {
            throw new FormError({ 'cache.ttl': 'Write a whole number of seconds, such as 3600.' });
          }
          await this.session().connection.request(Methods.setCache, {
            cache: { enabled: message.enabled, ttlSeconds: ttl },
            dryRun: false,
          });
          return message.enabled ? `Cache on, answers kept ${ttl} s.` : 'Cache off.';
        });
      case 'setRoutes':
        return this.reply(message.id, async () => {
          // Keys of the section this panel does not know (a newer router's) are kept as they are.
          const current = this.deps.config()?.routes;
          const routes: Record<string, JsonValue> =
            current && typeof current === 'object' && !Array.isArray(current) ? { ...current } : {};
          const problems: FieldErrors = {};
          for (const scenario of SCENARIOS) {
            const target = message.routes[scenario]?.trim();
            if (!target) {
              delete routes[scenario];
            } else if (target.startsWith('[') || target.startsWith('{')) {
              // Several targets (a failover list, or targets with a strategy) are shown and edited as JSON.
              try {
                routes[scenario] = JSON.parse(target) as JsonValue;
              } catch (e) {
                problems[`routes.${scenario}`] = `Not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
              }
            } else {
              routes[scenario] = target;
            }
          }
          if (Object.keys(problems).length > 0) {
            throw new FormError(problems);
          }
          const empty = Object.keys(routes).length === 0;
          await this.session().connection.request(
            Methods.setRoutes,
            empty ? { dryRun: false } : { routes, dryRun: false },
          );
          return empty ? 'Scenario routes removed.' : 'Scenario routes saved.';
        });
      case 'setLimits':
        return this.reply(message.id, async () => {
          let limits: JsonValue | undefined;
          if (message.text.trim()) {
            try {
              limits = JSON.parse(message.text) as JsonValue;
            } catch (e) {
              throw new FormError({ limits: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` });
            }
          }
          await this.session().connection.request(
            Methods.setLimits,
            limits === undefined ? { dryRun: false } : { limits, dryRun: false },
          );
          return limits === undefined ? 'Limits removed.' : 'Limits saved.';
        });
      case 'setRouting':
        return this.reply(message.id, async () => {
          const outcome = message.on ? await this.deps.routing.turnOn() : await this.deps.routing.turnOff();
          return outcome.message;
        });
      case 'setConfigureExtension':
        return this.reply(message.id, async () => {
          await this.deps.configureExtension.set(message.on);
          await this.deps.routing.reconcile();
          await this.pushState();
          return message.on
            ? 'Routing also configures the Claude Code extension and new terminals.'
            : 'Routing changes only Claude Code’s settings file.';
        });
    }
  }

  /** Sends the whole state; after any change of router, config, keys or settings. */
  async pushState(): Promise<void> {
    this.deps.post({ type: 'state', state: await this.state() });
  }

  /** Sends the usage summary and the latest requests. */
  async pushStats(): Promise<void> {
    const session = this.deps.routerState().kind === 'running' ? this.session() : undefined;
    if (!session) {
      return;
    }
    try {
      const [summary, recent] = await Promise.all([
        session.connection.request(Methods.statsSummary),
        session.connection.request(Methods.recentRequests, { limit: 200 }),
      ]);
      this.deps.post({ type: 'stats', summary, recent: recent.requests });
    } catch (e) {
      this.deps.logger.warn(`cannot read the router's stats: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Finished requests pushed by the server: shown at once; the summary (percentiles) follows within a second. */
  requestsCompleted(params: RequestsCompletedParams): void {
    this.deps.post({ type: 'requestsCompleted', requests: params.requests });
    if (!this.summaryRefresh) {
      this.summaryRefresh = setTimeout(() => {
        this.summaryRefresh = undefined;
        void this.pushStats();
      }, 1_000);
    }
  }

  testProgress(params: EndpointTestProgressParams): void {
    const prefix = `panel-${this.instance}-`;
    if (params.progressToken.startsWith(prefix)) {
      this.deps.post({
        type: 'testProgress',
        id: Number(params.progressToken.slice(prefix.length)),
        step: params.step,
        state: params.state,
        message: params.message,
      });
    }
  }

  dispose(): void {
    if (this.summaryRefresh) {
      clearTimeout(this.summaryRefresh);
    }
  }

  private async state(): Promise<PanelState> {
    const routerState = this.deps.routerState();
    const session = routerState.kind === 'running' ? routerState.session : undefined;
    const status = session?.status;
    const sections = session?.capabilities.configSections ?? [];
    const shared = status?.proxy === 'FAILED' ? this.deps.shared() : undefined;
    const router: RouterView = {
      state: routerState.kind,
      message: routerState.kind === 'failed' ? routerState.message : undefined,
      serverVersion: session?.serverVersion,
      proxy: status?.proxy,
      baseUrl: status?.baseUrl,
      port: status?.port,
      lastError: status?.lastError,
      sharedBaseUrl: shared?.baseUrl,
    };
    return {
      router,
      config: session ? this.deps.config() : undefined,
      endpoints: status?.endpoints ?? [],
      storedKeys: [...(await this.deps.apiKeys.endpointsWithKeys())],
      routing: status?.routing,
      sections: { routes: sections.includes('routes'), limits: sections.includes('limits') },
      costs: session?.capabilities.costs ?? false,
      claudeCodeExtension: {
        installed: this.deps.claudeCodeExtensionInstalled(),
        configure: this.deps.configureExtension.get(),
      },
    };
  }

  private async saveEndpoint(mode: 'add' | 'edit', form: EndpointForm): Promise<string> {
    const config = this.deps.config();
    const existing = mode === 'edit' ? config?.endpoints.find((endpoint) => endpoint.name === form.name) : undefined;
    const { settings, errors } = settingsFromForm(form, existing);
    if (!settings) {
      throw new FormError(errors);
    }
    const index =
      mode === 'add' ? (config?.endpoints.length ?? 0) : config?.endpoints.findIndex((e) => e.name === form.name);
    const connection = this.session().connection;
    try {
      await connection.request(mode === 'add' ? Methods.addEndpoint : Methods.updateEndpoint, {
        endpoint: settings,
        dryRun: false,
      });
    } catch (e) {
      throw new FormError(fieldErrorsOf(e, index));
    }
    // Only once the endpoint exists: a key for an endpoint that failed validation would linger unused.
    let keyNote = '';
    if (form.apiKey.trim()) {
      await this.deps.apiKeys.set(settings.name, form.apiKey);
      keyNote = ' Its API key is in VS Code’s secret storage.';
    } else if (form.clearApiKey) {
      await this.deps.apiKeys.clear(settings.name);
      keyNote = ' Its API key was removed.';
    }
    return `Endpoint "${settings.name}" ${mode === 'add' ? 'added' : 'saved'}.${keyNote}`;
  }

  private async testEndpoint(id: number, name: string, form: EndpointForm | undefined): Promise<void> {
    const progressToken = `panel-${this.instance}-${id}`;
    try {
      const connection = this.session().connection;
      let params;
      if (form) {
        const { settings, errors } = settingsFromForm(form);
        if (!settings) {
          throw new FormError(errors);
        }
        params = { endpoint: settings, progressToken, ...(form.apiKey.trim() ? { apiKey: form.apiKey.trim() } : {}) };
      } else {
        params = { name, progressToken };
      }
      const result = await connection.request(Methods.testEndpoint, params);
      this.deps.post({ type: 'testResult', id, result });
      this.deps.post({
        type: 'reply',
        id,
        ok: result.reachable && result.auth !== 'REJECTED',
        message: result.message,
      });
    } catch (e) {
      this.deps.post(this.failure(id, e));
    }
  }

  /** Runs a change and answers the page: its message, or the errors by field. */
  private async reply(id: number, change: () => Promise<string>): Promise<void> {
    try {
      const message = await change();
      this.deps.post({ type: 'reply', id, ok: true, message });
    } catch (e) {
      this.deps.post(this.failure(id, e));
    }
  }

  private failure(id: number, e: unknown): ToWebview {
    const fieldErrors = e instanceof FormError ? e.fieldErrors : fieldErrorsOf(e);
    const message =
      e instanceof FormError ? Object.values(fieldErrors).join('; ') : e instanceof Error ? e.message : String(e);
    return { type: 'reply', id, ok: false, message, fieldErrors };
  }

  private session(): RouterSession {
    const state = this.deps.routerState();
    if (state.kind !== 'running') {
      throw new Error('The router is not running; start it first (the button at the top of this panel).');
    }
    return state.session;
  }
}

/** A change refused before or by the sidecar, with what to say next to which field. */
class FormError extends Error {
  constructor(readonly fieldErrors: FieldErrors) {
    super(Object.values(fieldErrors).join('; '));
  }
}

function parseWholeNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}
