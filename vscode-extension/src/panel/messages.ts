/**
 * The messages between the settings panel (a webview) and the extension, in both directions. The webview script and
 * the extension both import these types, so a message one side sends is one the other understands.
 *
 * No message towards the webview ever carries an API key: the panel learns only whether a key is stored.
 */
import type {
  ConfigResult,
  EndpointStatus,
  EndpointTestProgressParams,
  EndpointType,
  ProxyState,
  RequestInfo,
  RoutingState,
  StatsSummaryResult,
  TestEndpointResult,
  WireFormat,
} from '../protocol/protocol';

/** The endpoint form as the user filled it in; text fields are parsed by the extension. */
export interface EndpointForm {
  readonly name: string;
  readonly type: EndpointType;
  readonly baseUrl: string;
  /** For CUSTOM endpoints; empty keeps the server's default (OPENAI). */
  readonly format: WireFormat | '';
  /** Model ids, separated by commas or new lines. */
  readonly models: string;
  /** One `glob = model` per line. */
  readonly modelMap: string;
  /** Headers to add or replace, one `Name: value` per line (their values go into the config file). */
  readonly headers: string;
  readonly removeHeaders: readonly string[];
  /** A new key to store; empty keeps the stored one. Sent once, never sent back. */
  readonly apiKey: string;
  readonly clearApiKey: boolean;
}

/** Form fields that can carry an error; `form` is the form as a whole. */
export type FieldName =
  | 'name'
  | 'type'
  | 'baseUrl'
  | 'format'
  | 'models'
  | 'modelMap'
  | 'headers'
  | 'apiKey'
  | 'defaultEndpoint'
  | 'cache.enabled'
  | 'cache.ttl'
  | 'routes'
  | `routes.${Scenario}`
  | 'limits'
  | 'form';

export type FieldErrors = Partial<Record<FieldName, string>>;

export type PanelCommand = 'showLogs' | 'openConfigFile' | 'startRouter' | 'restartRouter' | 'showClaudeSettingsStatus';

/** Scenario routes the panel edits (`routes` in the config file). */
export const SCENARIOS = ['background', 'think', 'longContext', 'webSearch', 'image'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** What the webview asks. Each request carries an id; the answer is a `reply` with the same id. */
export type FromWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'saveEndpoint'; readonly id: number; readonly mode: 'add' | 'edit'; readonly form: EndpointForm }
  | { readonly type: 'removeEndpoint'; readonly id: number; readonly name: string }
  | { readonly type: 'testEndpoint'; readonly id: number; readonly name: string; readonly form?: EndpointForm }
  | { readonly type: 'setDefaultEndpoint'; readonly id: number; readonly name: string }
  | { readonly type: 'setCache'; readonly id: number; readonly enabled: boolean; readonly ttlSeconds: string }
  | {
      readonly type: 'setRoutes';
      readonly id: number;
      /** Each scenario's target, `endpoint,model` or `endpoint`; empty removes that route. */
      readonly routes: Readonly<Partial<Record<Scenario, string>>>;
    }
  | { readonly type: 'setLimits'; readonly id: number; readonly text: string }
  | { readonly type: 'setRouting'; readonly id: number; readonly on: boolean }
  | { readonly type: 'setConfigureExtension'; readonly id: number; readonly on: boolean }
  | { readonly type: 'command'; readonly command: PanelCommand };

export interface RouterView {
  readonly state: 'stopped' | 'starting' | 'restarting' | 'running' | 'failed';
  /** Why it is not running (failed, restarting). */
  readonly message?: string;
  readonly serverVersion?: string;
  readonly proxy?: ProxyState;
  readonly baseUrl?: string;
  readonly port?: number;
  readonly lastError?: string;
  /** Another ccr serves the address this router could not bind. */
  readonly sharedBaseUrl?: string;
}

/** Everything the panel shows except stats. Sent whole after each change. */
export interface PanelState {
  readonly router: RouterView;
  /** The config in force (it holds no secret), when the router runs. */
  readonly config?: ConfigResult;
  readonly endpoints: readonly EndpointStatus[];
  /** Endpoints with a key in VS Code's secret storage: names only. */
  readonly storedKeys: readonly string[];
  readonly routing?: RoutingState;
  readonly sections: { readonly routes: boolean; readonly limits: boolean };
  readonly costs: boolean;
  readonly claudeCodeExtension: { readonly installed: boolean; readonly configure: boolean };
}

export type ToWebview =
  | { readonly type: 'state'; readonly state: PanelState }
  | { readonly type: 'stats'; readonly summary: StatsSummaryResult; readonly recent: readonly RequestInfo[] }
  | { readonly type: 'requestsCompleted'; readonly requests: readonly RequestInfo[] }
  | {
      readonly type: 'reply';
      readonly id: number;
      readonly ok: boolean;
      /** For the user: what happened, or what failed and what to do. */
      readonly message: string;
      readonly fieldErrors?: FieldErrors;
    }
  | {
      readonly type: 'testProgress';
      readonly id: number;
      readonly step: EndpointTestProgressParams['step'];
      readonly state: EndpointTestProgressParams['state'];
      readonly message: string;
    }
  | { readonly type: 'testResult'; readonly id: number; readonly result: TestEndpointResult };
