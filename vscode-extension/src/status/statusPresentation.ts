import type { EndpointStatus, RoutingState, ServerStatus, SharedStatus, WhenEditorsClose } from '../protocol/protocol';
import type { RouterState } from '../sidecar/routerService';
import type { SharedRouter } from './sharedRouter';

export interface StatusInput {
  readonly state: RouterState;
  /** The routing state the server reported last, for when the router is not running. */
  readonly lastRouting?: RoutingState;
  /** Another ccr serving the address this window's router could not bind. */
  readonly shared?: SharedRouter;
  readonly requestsToday: number;
  /** `ccr.router.whenVSCodeCloses`: what the router does about routing when VS Code closes; absent: keep serving. */
  readonly whenClosing?: WhenEditorsClose;
}

export interface StatusPresentation {
  /** The status bar text, with a codicon. */
  readonly text: string;
  /** Markdown; command links in it are limited to this extension's commands. */
  readonly tooltip: string;
  readonly severity: 'normal' | 'warning' | 'error';
  /** For screen readers: the text without icons. */
  readonly label: string;
}

/**
 * What the one status bar item says, from the router's state as the server pushed it: `Claude: Routed · <endpoint>`,
 * `Claude: Direct` or `Claude: Router error` (and `Starting…` in between), with a tooltip holding the details.
 */
export function presentStatus(input: StatusInput): StatusPresentation {
  const { state } = input;
  switch (state.kind) {
    case 'starting':
      return make('$(loading~spin)', 'Claude: Starting router…', 'normal', [
        header('starting'),
        'Starting the router…',
        ...footer(input, false),
      ]);
    case 'restarting':
      return make('$(loading~spin)', 'Claude: Restarting router…', 'warning', [
        header('restarting'),
        `The router stopped unexpectedly (${escape(state.lastExit)}); restarting in ${Math.round(state.delayMs / 1000)} s ` +
          `(crash ${state.crashes} of 5 allowed in 3 minutes).`,
        ...footer(input, false),
      ]);
    case 'failed':
      return make('$(error)', 'Claude: Router error', 'error', [
        header('not running'),
        escape(state.message),
        ...routingWhileDown(input.lastRouting),
        ...footer(input, false),
      ]);
    case 'stopped': {
      const routedToNothing = input.lastRouting === 'ON' || input.lastRouting === 'OVERRIDDEN';
      return make(
        routedToNothing ? '$(error)' : '$(circle-slash)',
        routedToNothing ? 'Claude: Router error' : 'Claude: Direct',
        routedToNothing ? 'error' : 'normal',
        [
          header('stopped'),
          state.message ? `The router is stopped: ${escape(state.message)}.` : 'The router is stopped.',
          ...routingWhileDown(input.lastRouting),
          ...footer(input, false),
        ],
      );
    }
    case 'running':
      return presentRunning(state.session.status, input);
  }
}

function presentRunning(status: ServerStatus, input: StatusInput): StatusPresentation {
  const routed = status.routing === 'ON' || status.routing === 'OVERRIDDEN';
  const endpoint = status.defaultEndpoint ?? 'no endpoint';
  const serving = status.proxy === 'RUNNING' || (status.proxy === 'FAILED' && input.shared !== undefined);
  const lines = [header(status.proxy === 'RUNNING' ? 'running' : status.proxy.toLowerCase())];

  if (status.proxy === 'RUNNING') {
    lines.push(`Listening on port ${status.port}: \`${status.baseUrl ?? ''}\``);
  } else if (status.proxy === 'FAILED' && input.shared) {
    lines.push(
      `Served by another ccr at \`${input.shared.baseUrl}\` (another VS Code window or \`ccr start\`): Claude Code's ` +
        `requests go there. This window's router takes over when that one stops.`,
    );
  } else if (status.proxy === 'FAILED') {
    lines.push(`Not serving on port ${status.port}.`);
  } else {
    lines.push(`Proxy ${status.proxy.toLowerCase()} (port ${status.port}).`);
  }
  lines.push(routingLine(status.routing));
  lines.push(lifetimeLine(status, input.whenClosing ?? 'KEEP_SERVING'));
  lines.push(endpointsBlock(status.endpoints, status.defaultEndpoint));
  if (status.shared) {
    lines.push(teamLine(status.shared));
  }
  if (status.lastError && !(status.proxy === 'FAILED' && input.shared)) {
    lines.push(`**Last error:** ${escape(status.lastError)}`);
  }
  if (status.configProblems.length) {
    lines.push(`**Config problems** in \`${status.configFile}\`:`);
    for (const problem of status.configProblems.slice(0, 5)) {
      lines.push(`- line ${problem.line}: ${escape(problem.message)}`);
    }
  }
  lines.push(...footer(input, true));

  if (status.proxy === 'STARTING' || status.proxy === 'STOPPED') {
    return make('$(loading~spin)', 'Claude: Starting router…', 'normal', lines);
  }
  if (!serving) {
    return make('$(error)', 'Claude: Router error', 'error', lines);
  }
  if (!routed) {
    return make('$(circle-slash)', 'Claude: Direct', 'normal', lines);
  }
  const overridden = status.routing === 'OVERRIDDEN';
  return make(
    overridden ? '$(warning)' : '$(arrow-swap)',
    `Claude: Routed · ${endpoint}`,
    overridden ? 'warning' : 'normal',
    lines,
  );
}

function header(state: string): string {
  return `**Claude Code Router** · ${state}`;
}

function routingLine(routing: RoutingState): string {
  switch (routing) {
    case 'ON':
      return 'Routing **on**: Claude Code sends its requests through this router.';
    case 'OVERRIDDEN':
      return (
        'Routing **on**, but a project or managed settings file sets `ANTHROPIC_BASE_URL` to something else, which ' +
        'wins there ([details](command:ccr.showClaudeSettingsStatus)).'
      );
    case 'OFF':
      return 'Routing **off**: Claude Code talks to Anthropic directly.';
    default:
      return `Routing: ${escape(String(routing))}`;
  }
}

/** Who else uses this router, and what closing VS Code does to it and to routing. */
function lifetimeLine(status: ServerStatus, whenClosing: WhenEditorsClose): string {
  const routed = status.routing === 'ON' || status.routing === 'OVERRIDDEN';
  const others = (status.editors ?? 1) > 1 ? `Shared by ${status.editors} VS Code windows. ` : '';
  const turnOff = whenClosing === 'TURN_ROUTING_OFF';
  switch (status.lifetime) {
    case 'STANDALONE':
      return (
        `${others}This router runs outside VS Code (\`ccr start\` or the login service) and keeps running when ` +
        `VS Code closes${routed && turnOff ? '; routing is turned off then, as chosen' : ''}.`
      );
    case 'SHARED':
      if (!routed) {
        return `${others}When VS Code closes, the router stops: nothing is routed through it.`;
      }
      return turnOff
        ? `${others}When VS Code closes, routing is turned off (Claude Code's settings restored exactly) and the ` +
            'router stops.'
        : `${others}When VS Code closes, the router keeps serving Claude Code in the background.`;
    default:
      return 'The router stops when this window closes.';
  }
}

function routingWhileDown(routing: RoutingState | undefined): string[] {
  return routing === 'ON' || routing === 'OVERRIDDEN'
    ? [
        '**No router answers**, but Claude Code is still pointed at it, so its requests fail: ' +
          '[start the router](command:ccr.startRouter) or [turn routing off](command:ccr.turnRoutingOff).',
      ]
    : [];
}

function endpointsBlock(endpoints: readonly EndpointStatus[], defaultEndpoint: string | undefined): string {
  if (!endpoints.length) {
    return 'No endpoints configured.';
  }
  const rows = endpoints.map((endpoint) => {
    const icon =
      endpoint.health === 'HEALTHY' ? '$(pass)' : endpoint.health === 'FAILING' ? '$(error)' : '$(circle-outline)';
    const health =
      endpoint.health === 'FAILING' && endpoint.lastError
        ? `failing: ${escape(endpoint.lastError)}`
        : String(endpoint.health).toLowerCase();
    const isDefault = endpoint.name === defaultEndpoint ? ' · default' : '';
    return `- ${icon} **${escape(endpoint.name)}** (${String(endpoint.type).toLowerCase()}${isDefault}): ${health}`;
  });
  return ['Endpoints:', ...rows].join('\n');
}

/** Team mode: whether limits, budgets, breakers and the cache are the team's (through Redis) or this router's own. */
function teamLine(shared: SharedStatus): string {
  if (shared.shared) {
    return `$(organization) Team: limits, budgets, breakers and the cache are shared through \`${shared.store}\`.`;
  }
  const since = new Date(shared.since).toLocaleTimeString();
  const why = shared.lastError ? ` (${escape(shared.lastError)})` : '';
  return (
    `$(warning) **Team:** Redis at \`${shared.store}\` is not usable since ${since}${why}: this router enforces ` +
    'limits and budgets on its own until it is back.'
  );
}

function footer(input: StatusInput, running: boolean): string[] {
  const links = running
    ? [
        '[Toggle routing](command:ccr.toggleRouting)',
        '[Settings](command:ccr.openSettingsPanel)',
        '[Logs](command:ccr.showLogs)',
      ]
    : ['[Start router](command:ccr.startRouter)', '[Logs](command:ccr.showLogs)'];
  return [`Requests today: ${input.requestsToday}`, links.join(' · ')];
}

function make(
  icon: string,
  label: string,
  severity: StatusPresentation['severity'],
  lines: string[],
): StatusPresentation {
  return { text: `${icon} ${label}`, label, severity, tooltip: lines.join('\n\n') };
}

/** Escapes text from the server (endpoint names, error messages) so it shows as written in markdown. */
export function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, (c) => `\\${c}`);
}
