/**
 * The ccr editor protocol, mirrored once from the Java contract (`protocol/src/main/java/dev/ccr/protocol`, described
 * in `docs/PROTOCOL.md`). Every record, enum, method and error code is declared here and nowhere else; the tests check
 * these declarations against the golden JSON fixtures the Java side is tested with
 * (`protocol/src/test/resources/fixtures`). Field order follows the Java records; optional fields are those the Java
 * side may leave null (a null field is absent from the JSON).
 *
 * Enum values may grow within a major version: code reading an enum from the server must handle a value it does not
 * know (as absent).
 */
import {
  arrayOf,
  boolean,
  enumOf,
  integer,
  json,
  mapOf,
  number,
  object,
  opt,
  req,
  string,
  type Infer,
  type Shape,
} from './shapes';

export type { JsonValue } from './shapes';

/** The protocol version this extension speaks; the server refuses another major version. */
export const PROTOCOL_VERSION = '1.1';

// ---- enums ------------------------------------------------------------------------------------------------------

export const ProxyStateShape = enumOf('ProxyState', ['STARTING', 'RUNNING', 'FAILED', 'STOPPED'] as const);
export const RoutingStateShape = enumOf('RoutingState', ['ON', 'OFF', 'OVERRIDDEN'] as const);
export const EndpointHealthShape = enumOf('EndpointHealth', ['UNKNOWN', 'HEALTHY', 'FAILING'] as const);
export const EndpointTypeShape = enumOf('EndpointType', ['ANTHROPIC', 'OPENAI', 'GEMINI', 'CUSTOM'] as const);
export const WireFormatShape = enumOf('WireFormat', ['ANTHROPIC', 'OPENAI', 'GEMINI'] as const);
export const ApiKeySourceShape = enumOf('ApiKeySource', [
  'CONFIG',
  'ENVIRONMENT',
  'ENVIRONMENT_MISSING',
  'EDITOR_OR_CLIENT',
] as const);
export const AuthCheckShape = enumOf('AuthCheck', ['ACCEPTED', 'REJECTED', 'NOT_CHECKED', 'UNKNOWN'] as const);
export const TestStepShape = enumOf('TestStep', ['CREDENTIALS', 'CONNECT', 'AUTHENTICATE', 'LIST_MODELS'] as const);
export const StepStateShape = enumOf('StepState', ['STARTED', 'SUCCEEDED', 'FAILED', 'SKIPPED'] as const);
export const KeyStateShape = enumOf('KeyState', ['ROUTER', 'USER', 'ABSENT'] as const);
export const SettingsScopeShape = enumOf('SettingsScope', ['MANAGED', 'LOCAL', 'PROJECT', 'USER'] as const);
export const RouterLifetimeShape = enumOf('RouterLifetime', ['EDITOR', 'SHARED', 'STANDALONE'] as const);
export const WhenEditorsCloseShape = enumOf('WhenEditorsClose', ['KEEP_SERVING', 'TURN_ROUTING_OFF'] as const);
export const StopReasonShape = enumOf('StopReason', ['STOP_REQUESTED', 'REPLACED'] as const);

export type ProxyState = Infer<typeof ProxyStateShape>;
export type RoutingState = Infer<typeof RoutingStateShape>;
export type EndpointHealth = Infer<typeof EndpointHealthShape>;
export type EndpointType = Infer<typeof EndpointTypeShape>;
export type WireFormat = Infer<typeof WireFormatShape>;
export type ApiKeySource = Infer<typeof ApiKeySourceShape>;
export type AuthCheck = Infer<typeof AuthCheckShape>;
export type TestStep = Infer<typeof TestStepShape>;
export type StepState = Infer<typeof StepStateShape>;
export type KeyState = Infer<typeof KeyStateShape>;
export type SettingsScope = Infer<typeof SettingsScopeShape>;
export type RouterLifetime = Infer<typeof RouterLifetimeShape>;
export type WhenEditorsClose = Infer<typeof WhenEditorsCloseShape>;
export type StopReason = Infer<typeof StopReasonShape>;

// ---- config ------------------------------------------------------------------------------------------------------

/** One thing wrong with config text; line and column are 1-based, 0 when unknown. */
export const ConfigProblemInfoShape = object('ConfigProblemInfo', {
  file: opt(string),
  line: req(integer),
  column: req(integer),
  /** JSONPath such as `$.endpoints[1].type`; absent when the problem is the whole text. */
  path: opt(string),
  message: req(string),
});

/** Both fields set in `ConfigResult`; in `SetCacheParams` an absent field keeps its value. */
export const CacheSettingsShape = object('CacheSettings', {
  enabled: opt(boolean),
  ttlSeconds: opt(integer),
});

/** An endpoint as configured, without secrets. */
export const EndpointInfoShape = object('EndpointInfo', {
  name: req(string),
  type: req(EndpointTypeShape),
  format: req(WireFormatShape),
  baseUrl: req(string),
  headerNames: req(arrayOf(string)),
  models: req(arrayOf(string)),
  modelMap: req(mapOf(string)),
  apiKey: req(ApiKeySourceShape),
  apiKeyVariable: opt(string),
});

/** The configuration in force, defaults applied, without any secret. */
export const ConfigResultShape = object('ConfigResult', {
  file: req(string),
  fromFile: req(boolean),
  host: req(string),
  port: req(integer),
  endpoints: req(arrayOf(EndpointInfoShape)),
  defaultEndpoint: opt(string),
  cache: req(CacheSettingsShape),
  routes: opt(json),
  limits: opt(json),
  warnings: req(arrayOf(ConfigProblemInfoShape)),
});

/**
 * An endpoint as the editor adds or changes it. No API key, deliberately: keys live in the editor's secret storage.
 * For an update every absent field keeps its value.
 */
export const EndpointSettingsShape = object('EndpointSettings', {
  name: req(string),
  type: opt(EndpointTypeShape),
  baseUrl: opt(string),
  format: opt(WireFormatShape),
  headers: opt(mapOf(string)),
  removeHeaders: opt(arrayOf(string)),
  models: opt(arrayOf(string)),
  modelMap: opt(mapOf(string)),
});

export const EndpointChangeParamsShape = object('EndpointChangeParams', {
  endpoint: req(EndpointSettingsShape),
  dryRun: req(boolean),
});
export const RemoveEndpointParamsShape = object('RemoveEndpointParams', { name: req(string), dryRun: req(boolean) });
export const SetDefaultEndpointParamsShape = object('SetDefaultEndpointParams', {
  name: req(string),
  dryRun: req(boolean),
});
export const SetCacheParamsShape = object('SetCacheParams', { cache: req(CacheSettingsShape), dryRun: req(boolean) });
/** An absent `routes` removes the section. */
export const SetRoutesParamsShape = object('SetRoutesParams', { routes: opt(json), dryRun: req(boolean) });
/** An absent `limits` removes the section. */
export const SetLimitsParamsShape = object('SetLimitsParams', { limits: opt(json), dryRun: req(boolean) });
export const ValidateConfigParamsShape = object('ValidateConfigParams', { text: req(string) });
export const ValidateConfigResultShape = object('ValidateConfigResult', {
  valid: req(boolean),
  problems: req(arrayOf(ConfigProblemInfoShape)),
  warnings: req(arrayOf(ConfigProblemInfoShape)),
});
/** `applied` is false for a dry run and when the change left the file as it was. */
export const ConfigChangeResultShape = object('ConfigChangeResult', {
  applied: req(boolean),
  warnings: req(arrayOf(ConfigProblemInfoShape)),
});
export const ConfigChangedParamsShape = object('ConfigChangedParams', { config: req(ConfigResultShape) });
/** The `data` of CONFIG_INVALID and CONFIG_UNREADABLE errors. */
export const ConfigProblemsDataShape = object('ConfigProblemsData', {
  problems: req(arrayOf(ConfigProblemInfoShape)),
});

export type ConfigProblemInfo = Infer<typeof ConfigProblemInfoShape>;
export type CacheSettings = Infer<typeof CacheSettingsShape>;
export type EndpointInfo = Infer<typeof EndpointInfoShape>;
export type ConfigResult = Infer<typeof ConfigResultShape>;
export type EndpointSettings = Infer<typeof EndpointSettingsShape>;
export type EndpointChangeParams = Infer<typeof EndpointChangeParamsShape>;
export type RemoveEndpointParams = Infer<typeof RemoveEndpointParamsShape>;
export type SetDefaultEndpointParams = Infer<typeof SetDefaultEndpointParamsShape>;
export type SetCacheParams = Infer<typeof SetCacheParamsShape>;
export type SetRoutesParams = Infer<typeof SetRoutesParamsShape>;
export type SetLimitsParams = Infer<typeof SetLimitsParamsShape>;
export type ValidateConfigParams = Infer<typeof ValidateConfigParamsShape>;
export type ValidateConfigResult = Infer<typeof ValidateConfigResultShape>;
export type ConfigChangeResult = Infer<typeof ConfigChangeResultShape>;
export type ConfigChangedParams = Infer<typeof ConfigChangedParamsShape>;
export type ConfigProblemsData = Infer<typeof ConfigProblemsDataShape>;

// ---- status ------------------------------------------------------------------------------------------------------

export const EndpointStatusShape = object('EndpointStatus', {
  name: req(string),
  type: req(EndpointTypeShape),
  baseUrl: req(string),
  health: req(EndpointHealthShape),
  /** What went wrong the last time it was FAILING. */
  lastError: opt(string),
});

/**
 * Team mode (since 1.1): limits, budgets, breakers and the response cache shared with the team's other instances
 * through Redis, or, while Redis cannot be used, this router's own (each instance then enforces the limits alone).
 */
export const SharedStatusShape = object('SharedStatus', {
  /** The Redis address, never with its password. */
  store: req(string),
  shared: req(boolean),
  /** When the current state began, epoch milliseconds. */
  since: req(integer),
  /** Why Redis is not used now; absent while shared. */
  lastError: opt(string),
});

/** Everything shown about the router at a glance; pushed whole after every change, never polled. */
export const ServerStatusShape = object('ServerStatus', {
  proxy: req(ProxyStateShape),
  host: req(string),
  /** The bound port while RUNNING, else the configured one (0: any free port). */
  port: req(integer),
  /** What ANTHROPIC_BASE_URL must be to use this router; only while RUNNING. */
  baseUrl: opt(string),
  routing: req(RoutingStateShape),
  defaultEndpoint: opt(string),
  endpoints: req(arrayOf(EndpointStatusShape)),
  /** Why the proxy is not running, or why the latest config change was not applied. */
  lastError: opt(string),
  configProblems: req(arrayOf(ConfigProblemInfoShape)),
  configFile: req(string),
  /** Editors attached to this router now, this one included (since 1.1; absent from an older server). */
  editors: opt(integer),
  /** How long the router process lives (since 1.1). */
  lifetime: opt(RouterLifetimeShape),
  /** Team mode: whether state is shared with the team's other instances through Redis; absent without (since 1.1). */
  shared: opt(SharedStatusShape),
});
export const StatusChangedParamsShape = object('StatusChangedParams', { status: req(ServerStatusShape) });

export type EndpointStatus = Infer<typeof EndpointStatusShape>;
export type SharedStatus = Infer<typeof SharedStatusShape>;
export type ServerStatus = Infer<typeof ServerStatusShape>;
export type StatusChangedParams = Infer<typeof StatusChangedParamsShape>;

// ---- lifecycle ---------------------------------------------------------------------------------------------------

export const ClientCapabilitiesShape = object('ClientCapabilities', {
  apiKeys: req(boolean),
  requestNotifications: req(boolean),
  endpointTestProgress: req(boolean),
});
/** What the user chose about the router's life beyond the editor (since 1.1). */
export const EditorPreferencesShape = object('EditorPreferences', {
  /** Absent: KEEP_SERVING. */
  whenEditorsClose: opt(WhenEditorsCloseShape),
});
export const InitializeParamsShape = object('InitializeParams', {
  protocolVersion: req(string),
  clientName: opt(string),
  clientVersion: opt(string),
  capabilities: opt(ClientCapabilitiesShape),
  /** Their `.claude/settings*.json` are checked for values that override the router's. */
  workspaceFolders: opt(arrayOf(string)),
  preferences: opt(EditorPreferencesShape),
});
export const ServerCapabilitiesShape = object('ServerCapabilities', {
  /** Top-level config keys this server accepts; `routes` and `limits` only once the router has them. */
  configSections: req(arrayOf(string)),
  /** Whether `costUsd` fields are filled. */
  costs: req(boolean),
});
export const InitializeResultShape = object('InitializeResult', {
  protocolVersion: req(string),
  serverVersion: req(string),
  processId: req(integer),
  capabilities: req(ServerCapabilitiesShape),
  status: req(ServerStatusShape),
});
/** The `data` of INCOMPATIBLE_PROTOCOL_VERSION. */
export const IncompatibleVersionDataShape = object('IncompatibleVersionData', {
  serverProtocolVersion: req(string),
  clientProtocolVersion: opt(string),
});

// ---- router (since 1.1) ------------------------------------------------------------------------------------------

export const RouterStopParamsShape = object('RouterStopParams', {
  /** Absent: STOP_REQUESTED. */
  reason: opt(StopReasonShape),
});
export const PreferencesChangedParamsShape = object('PreferencesChangedParams', {
  preferences: req(EditorPreferencesShape),
});
export const RouterExitingParamsShape = object('RouterExitingParams', {
  reason: req(StopReasonShape),
  message: req(string),
});

export type EditorPreferences = Infer<typeof EditorPreferencesShape>;
export type RouterStopParams = Infer<typeof RouterStopParamsShape>;
export type PreferencesChangedParams = Infer<typeof PreferencesChangedParamsShape>;
export type RouterExitingParams = Infer<typeof RouterExitingParamsShape>;
export type ClientCapabilities = Infer<typeof ClientCapabilitiesShape>;
export type InitializeParams = Infer<typeof InitializeParamsShape>;
export type ServerCapabilities = Infer<typeof ServerCapabilitiesShape>;
export type InitializeResult = Infer<typeof InitializeResultShape>;
export type IncompatibleVersionData = Infer<typeof IncompatibleVersionDataShape>;

// ---- endpoints ---------------------------------------------------------------------------------------------------

/** Give either `name` (configured) or `endpoint` (unsaved form settings, with type and baseUrl). */
export const TestEndpointParamsShape = object('TestEndpointParams', {
  name: opt(string),
  endpoint: opt(EndpointSettingsShape),
  /** For unsaved settings only; used for that test, never stored or logged. */
  apiKey: opt(string),
  progressToken: opt(string),
});
export const TestEndpointResultShape = object('TestEndpointResult', {
  endpoint: opt(string),
  reachable: req(boolean),
  auth: req(AuthCheckShape),
  httpStatus: opt(integer),
  latencyMillis: opt(integer),
  models: req(arrayOf(string)),
  message: req(string),
});
export const EndpointTestProgressParamsShape = object('EndpointTestProgressParams', {
  progressToken: req(string),
  endpoint: opt(string),
  step: req(TestStepShape),
  state: req(StepStateShape),
  message: req(string),
});

export type TestEndpointParams = Infer<typeof TestEndpointParamsShape>;
export type TestEndpointResult = Infer<typeof TestEndpointResultShape>;
export type EndpointTestProgressParams = Infer<typeof EndpointTestProgressParamsShape>;

// ---- credentials -------------------------------------------------------------------------------------------------

/** An absent endpoint means: every key may have changed. The key itself is never sent this way. */
export const ApiKeyChangedParamsShape = object('ApiKeyChangedParams', { endpoint: opt(string) });
export const GetApiKeyParamsShape = object('GetApiKeyParams', { endpoint: req(string) });
/** An absent key: the editor has none for that endpoint. */
export const GetApiKeyResultShape = object('GetApiKeyResult', { apiKey: opt(string) });

export type ApiKeyChangedParams = Infer<typeof ApiKeyChangedParamsShape>;
export type GetApiKeyParams = Infer<typeof GetApiKeyParamsShape>;
export type GetApiKeyResult = Infer<typeof GetApiKeyResultShape>;

// ---- stats -------------------------------------------------------------------------------------------------------

export const LatencyStatsShape = object('LatencyStats', {
  p50: req(integer),
  p90: req(integer),
  p99: req(integer),
  max: req(integer),
});
export const UsageStatsShape = object('UsageStats', {
  requests: req(integer),
  errors: req(integer),
  inputTokens: req(integer),
  outputTokens: req(integer),
  cacheReadTokens: req(integer),
  cacheCreationTokens: req(integer),
  cacheHits: req(integer),
  duration: opt(LatencyStatsShape),
  timeToFirstByte: opt(LatencyStatsShape),
  costUsd: opt(number),
});
export const UsageGroupShape = object('UsageGroup', {
  name: req(string),
  lastRequestAt: req(integer),
  usage: req(UsageStatsShape),
});
export const StatsSummaryResultShape = object('StatsSummaryResult', {
  since: req(integer),
  total: req(UsageStatsShape),
  byEndpoint: req(arrayOf(UsageGroupShape)),
  byModel: req(arrayOf(UsageGroupShape)),
  bySession: req(arrayOf(UsageGroupShape)),
});
/** One finished request: names and numbers, never credentials or message content. */
export const RequestInfoShape = object('RequestInfo', {
  requestId: req(string),
  startedAt: req(integer),
  sessionId: opt(string),
  client: opt(string),
  operation: req(string),
  requestedModel: opt(string),
  route: opt(string),
  endpoint: opt(string),
  upstreamModel: opt(string),
  status: req(integer),
  errorType: opt(string),
  stream: req(boolean),
  /** -1 when nothing was sent back. */
  timeToFirstByteMillis: req(integer),
  durationMillis: req(integer),
  inputTokens: req(integer),
  outputTokens: req(integer),
  cacheReadTokens: req(integer),
  cacheCreationTokens: req(integer),
  attempts: req(integer),
  cacheHit: req(boolean),
  costUsd: opt(number),
});
export const RecentRequestsParamsShape = object('RecentRequestsParams', { limit: opt(integer) });
export const RecentRequestsResultShape = object('RecentRequestsResult', { requests: req(arrayOf(RequestInfoShape)) });
export const RequestsCompletedParamsShape = object('RequestsCompletedParams', {
  requests: req(arrayOf(RequestInfoShape)),
  dropped: req(integer),
});

export type LatencyStats = Infer<typeof LatencyStatsShape>;
export type UsageStats = Infer<typeof UsageStatsShape>;
export type UsageGroup = Infer<typeof UsageGroupShape>;
export type StatsSummaryResult = Infer<typeof StatsSummaryResultShape>;
export type RequestInfo = Infer<typeof RequestInfoShape>;
export type RecentRequestsParams = Infer<typeof RecentRequestsParamsShape>;
export type RecentRequestsResult = Infer<typeof RecentRequestsResultShape>;
export type RequestsCompletedParams = Infer<typeof RequestsCompletedParamsShape>;

// ---- claude ------------------------------------------------------------------------------------------------------

/** Claude Code's model variables; each present field is written, absent ones are left alone. */
export const ClaudeModelsShape = object('ClaudeModels', {
  model: opt(string),
  opusModel: opt(string),
  sonnetModel: opt(string),
  haikuModel: opt(string),
  smallFastModel: opt(string),
});
/** Absent `projectDirs`: the workspace folders given in `initialize`. */
export const ClaudeStatusParamsShape = object('ClaudeStatusParams', { projectDirs: opt(arrayOf(string)) });
export const ClaudeEnableParamsShape = object('ClaudeEnableParams', {
  models: opt(ClaudeModelsShape),
  projectDirs: opt(arrayOf(string)),
});
export const ClaudeDisableParamsShape = object('ClaudeDisableParams', { projectDirs: opt(arrayOf(string)) });
export const ClaudeKeyInfoShape = object('ClaudeKeyInfo', {
  name: req(string),
  state: req(KeyStateShape),
  /** Always absent for secrets (ANTHROPIC_AUTH_TOKEN). */
  value: opt(string),
  effectiveScope: opt(SettingsScopeShape),
  effectiveFile: opt(string),
});
export const SettingsOverrideShape = object('SettingsOverride', {
  file: req(string),
  scope: req(SettingsScopeShape),
  key: req(string),
  sameAsRouter: req(boolean),
});
export const ClaudeSettingsResultShape = object('ClaudeSettingsResult', {
  settingsFile: req(string),
  enabled: req(boolean),
  routerBaseUrl: req(string),
  keys: req(arrayOf(ClaudeKeyInfoShape)),
  overrides: req(arrayOf(SettingsOverrideShape)),
  changedKeys: req(arrayOf(string)),
  keptUserKeys: req(arrayOf(string)),
  message: req(string),
});

export type ClaudeModels = Infer<typeof ClaudeModelsShape>;
export type ClaudeStatusParams = Infer<typeof ClaudeStatusParamsShape>;
export type ClaudeEnableParams = Infer<typeof ClaudeEnableParamsShape>;
export type ClaudeDisableParams = Infer<typeof ClaudeDisableParamsShape>;
export type ClaudeKeyInfo = Infer<typeof ClaudeKeyInfoShape>;
export type SettingsOverride = Infer<typeof SettingsOverrideShape>;
export type ClaudeSettingsResult = Infer<typeof ClaudeSettingsResultShape>;

// ---- methods -----------------------------------------------------------------------------------------------------

/** A request or notification: its JSON method name, who sends it, and its params and result shapes. */
export interface MethodSpec<P = unknown, R = unknown> {
  readonly method: string;
  readonly direction: 'toServer' | 'toEditor';
  readonly kind: 'request' | 'notification';
  /** Absent: the message carries no params. */
  readonly params?: Shape;
  /** Absent for notifications; `null` for a request whose result is JSON null. */
  readonly result?: Shape | null;
  /** Phantom fields carrying the TypeScript types; never set. */
  readonly __params?: P;
  readonly __result?: R;
}

function request<PS extends Shape | undefined, RS extends Shape | null>(
  method: string,
  direction: 'toServer' | 'toEditor',
  params: PS,
  result: RS,
): MethodSpec<PS extends Shape ? Infer<PS> : void, RS extends Shape ? Infer<RS> : null> {
  return { method, direction, kind: 'request', params, result };
}

function notification<PS extends Shape | undefined>(
  method: string,
  direction: 'toServer' | 'toEditor',
  params: PS,
): MethodSpec<PS extends Shape ? Infer<PS> : void, void> {
  return { method, direction, kind: 'notification', params };
}

/** Every method of protocol 1.1, in both directions. */
export const Methods = {
  initialize: request('initialize', 'toServer', InitializeParamsShape, InitializeResultShape),
  shutdown: request('shutdown', 'toServer', undefined, null),
  exit: notification('exit', 'toServer', undefined),
  getConfig: request('config/get', 'toServer', undefined, ConfigResultShape),
  validateConfig: request('config/validate', 'toServer', ValidateConfigParamsShape, ValidateConfigResultShape),
  addEndpoint: request('config/addEndpoint', 'toServer', EndpointChangeParamsShape, ConfigChangeResultShape),
  updateEndpoint: request('config/updateEndpoint', 'toServer', EndpointChangeParamsShape, ConfigChangeResultShape),
  removeEndpoint: request('config/removeEndpoint', 'toServer', RemoveEndpointParamsShape, ConfigChangeResultShape),
  setDefaultEndpoint: request(
    'config/setDefaultEndpoint',
    'toServer',
    SetDefaultEndpointParamsShape,
    ConfigChangeResultShape,
  ),
  setCache: request('config/setCache', 'toServer', SetCacheParamsShape, ConfigChangeResultShape),
  setRoutes: request('config/setRoutes', 'toServer', SetRoutesParamsShape, ConfigChangeResultShape),
  setLimits: request('config/setLimits', 'toServer', SetLimitsParamsShape, ConfigChangeResultShape),
  testEndpoint: request('endpoints/test', 'toServer', TestEndpointParamsShape, TestEndpointResultShape),
  apiKeyChanged: notification('credentials/apiKeyChanged', 'toServer', ApiKeyChangedParamsShape),
  statsSummary: request('stats/summary', 'toServer', undefined, StatsSummaryResultShape),
  recentRequests: request('stats/recentRequests', 'toServer', RecentRequestsParamsShape, RecentRequestsResultShape),
  claudeStatus: request('claude/status', 'toServer', ClaudeStatusParamsShape, ClaudeSettingsResultShape),
  claudeEnable: request('claude/enable', 'toServer', ClaudeEnableParamsShape, ClaudeSettingsResultShape),
  claudeDisable: request('claude/disable', 'toServer', ClaudeDisableParamsShape, ClaudeSettingsResultShape),
  statusChanged: notification('status/statusChanged', 'toEditor', StatusChangedParamsShape),
  configChanged: notification('config/configChanged', 'toEditor', ConfigChangedParamsShape),
  endpointTestProgress: notification('endpoints/testProgress', 'toEditor', EndpointTestProgressParamsShape),
  getApiKey: request('credentials/getApiKey', 'toEditor', GetApiKeyParamsShape, GetApiKeyResultShape),
  requestsCompleted: notification('stats/requestsCompleted', 'toEditor', RequestsCompletedParamsShape),
  stopRouter: request('router/stop', 'toServer', RouterStopParamsShape, null),
  preferencesChanged: notification('router/preferencesChanged', 'toServer', PreferencesChangedParamsShape),
  routerExiting: notification('router/exiting', 'toEditor', RouterExitingParamsShape),
} as const;

export type ParamsOf<M> = M extends MethodSpec<infer P, unknown> ? P : never;
export type ResultOf<M> = M extends MethodSpec<unknown, infer R> ? R : never;

// ---- errors ------------------------------------------------------------------------------------------------------

/** Every error code a ccr request can fail with (`ErrorCodes.java`). Messages are written for the user. */
export const ErrorCodes = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  SERVER_NOT_INITIALIZED: -32002,
  REQUEST_CANCELLED: -32800,
  INCOMPATIBLE_PROTOCOL_VERSION: -32010,
  SHUTTING_DOWN: -32011,
  CONFIG_INVALID: -32020,
  CONFIG_UNREADABLE: -32021,
  CONFIG_WRITE_FAILED: -32022,
  ENDPOINT_NOT_FOUND: -32023,
  ENDPOINT_EXISTS: -32024,
  CLAUDE_SETTINGS_UNREADABLE: -32030,
  CLAUDE_SETTINGS_WRITE_FAILED: -32031,
} as const;

export type ErrorCodeName = keyof typeof ErrorCodes;

/** The shape of an error's `data`, for the codes that carry one. */
export const ErrorDataShapes: Partial<Record<number, Shape>> = {
  [ErrorCodes.INCOMPATIBLE_PROTOCOL_VERSION]: IncompatibleVersionDataShape,
  [ErrorCodes.CONFIG_INVALID]: ConfigProblemsDataShape,
  [ErrorCodes.CONFIG_UNREADABLE]: ConfigProblemsDataShape,
};

export function errorCodeName(code: number): ErrorCodeName | undefined {
  return (Object.keys(ErrorCodes) as ErrorCodeName[]).find((name) => ErrorCodes[name] === code);
}
