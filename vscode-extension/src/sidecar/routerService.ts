import { existsSync } from 'node:fs';
import { Emitter, type Disposable } from '../events';
import { findJava, type JavaDiscovery, type JavaDiscoveryOptions, type JavaRuntime } from '../java/javaRuntime';
import { startupArchive } from '../java/startupArchive';
import type { Logger } from '../log';
import {
  ErrorCodes,
  Methods,
  PROTOCOL_VERSION,
  type ConfigResult,
  type EndpointTestProgressParams,
  type InitializeResult,
  type RequestsCompletedParams,
  type RouterExitingParams,
  type ServerCapabilities,
  type ServerStatus,
  type StopReason,
  type WhenEditorsClose,
} from '../protocol/protocol';
import { CcrRpcError, ConnectionClosedError, type EditorSide } from '../rpc/ccrConnection';
import { runCcrCommand } from './ccrCommand';
import {
  ccrCommand,
  DEFAULT_VM_ARGS,
  parseVmArgs,
  printable,
  sidecarCommand,
  SERVED_ELSEWHERE,
  type SidecarCommand,
} from './commandLine';
import { RestartPolicy } from './restartPolicy';
import { socketLink, stdioLink, type RouterLink, type Transport } from './routerLink';
import { routerSocket } from './socketPath';
import { SidecarProcess, type SidecarExit } from './sidecarProcess';

/** What the user configured for the router, read again at each start. */
export interface RouterSettings {
  readonly javaHome?: string;
  readonly vmArgs?: string;
  readonly configFile?: string;
  readonly workspaceFolders: readonly string[];
  /** Log each protocol message's method and timing (never its content). */
  readonly trace: boolean;
  /** What the router does about routing once VS Code has closed; absent: keep serving. */
  readonly whenEditorsClose?: WhenEditorsClose;
}

/** A router this window talks to, after a successful handshake. */
export interface RouterSession {
  readonly connection: RouterLink['connection'];
  readonly serverVersion: string;
  readonly processId: number;
  readonly capabilities: ServerCapabilities;
  /** The Java this window started the router with; undefined when it attached to a router started elsewhere. */
  readonly java?: JavaRuntime;
  /** The latest status the server pushed. */
  readonly status: ServerStatus;
  /** `stdio`: this window started the router; `socket`: it attached to one that serves the same config. */
  readonly transport: Transport;
}

/** Why the router is not running and will not be restarted without the user. */
export type RouterProblem =
  'noJava' | 'javaSetting' | 'badSettings' | 'missingJar' | 'incompatible' | 'outOfMemory' | 'crashLoop';

export type RouterState =
  /**
   * `message`: who stopped it, when it was not this window (another window, `ccr stop`); `replacing`: this window
   * starts another at once (a restart), so nothing is left without a router.
   */
  | { readonly kind: 'stopped'; readonly message?: string; readonly replacing?: boolean }
  | { readonly kind: 'starting' }
  | { readonly kind: 'running'; readonly session: RouterSession }
  | { readonly kind: 'restarting'; readonly delayMs: number; readonly crashes: number; readonly lastExit: string }
  | { readonly kind: 'failed'; readonly problem: RouterProblem; readonly message: string };

export interface RouterServiceOptions {
  /** The server's shaded jar, shipped inside the extension. */
  readonly jar: string;
  /** The Java runtime a platform VSIX ships (`runtime/`); preferred when it exists. */
  readonly bundledJavaHome?: string;
  readonly clientVersion: string;
  readonly logger: Logger;
  readonly settings: () => RouterSettings;
  /** The key kept for an endpoint in the editor's secret storage, or undefined. */
  readonly apiKey: (endpoint: string) => Promise<string | undefined>;
  readonly env?: NodeJS.ProcessEnv;
  readonly restartPolicy?: RestartPolicy;
  /** A JVM starting on a busy machine takes seconds; one that never answers is treated like a crash. */
  readonly initializeTimeoutMs?: number;
  /** Replaced in tests: how Java is found and which command runs the sidecar. */
  readonly findJava?: (options: JavaDiscoveryOptions) => Promise<JavaDiscovery>;
  readonly command?: (java: JavaRuntime, settings: RouterSettings, vmArgs: string[]) => SidecarCommand;
  /**
   * The socket shared routers of these settings listen on (docs/PROTOCOL.md); by default computed as the server does.
   * `null`: no shared router, one sidecar per window as before protocol 1.1.
   */
  readonly socket?: ((settings: RouterSettings) => string) | null;
  /** How long a window that lost the race to start the router waits for the winner's socket. */
  readonly attachTimeoutMs?: number;
  /** How long a window waits for the router that replaces the one it used before it starts one itself. */
  readonly replacementWaitMs?: number;
}

const SHUTDOWN_TIMEOUT_MS = 3_000;
const TERMINATE_GRACE_MS = 2_000;
const EXIT_GRACE_MS = 3_000;
const DETACH_TIMEOUT_MS = 1_000;

/**
 * Keeps a router serving this window. It attaches to the router that serves the same config for every window (its
 * local socket), and only when none answers starts one (`ccr lsp --shared`) and talks to it over stdio; that router
 * serves the other windows too, and outlives this one. It performs the handshake, starts or attaches again after a
 * crash with backoff until the crash-loop limit, replaces a router of an older ccr, and stops it or lets it go. It
 * holds the connection and the latest pushed status, and re-announces what the server pushes. No `vscode` here: the
 * UI listens to the events.
 */
export class RouterService implements Disposable {
  private readonly stateEmitter = new Emitter<RouterState>();
  private readonly configEmitter = new Emitter<ConfigResult>();
  private readonly requestsEmitter = new Emitter<RequestsCompletedParams>();
  private readonly progressEmitter = new Emitter<EndpointTestProgressParams>();
  /** Fires on every state change, and on every status the running server pushes. */
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidChangeConfig = this.configEmitter.event;
  readonly onDidCompleteRequests = this.requestsEmitter.event;
  readonly onEndpointTestProgress = this.progressEmitter.event;

  private current: RouterState = { kind: 'stopped' };
  private link: RouterLink | undefined;
  /** Why the router said it would close the current link, if it did. */
  private exiting: RouterExitingParams | undefined;
  /** Bumped by every start and stop, so the late result of an older attempt is ignored. */
  private generation = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly policy: RestartPolicy;

  constructor(private readonly options: RouterServiceOptions) {
    this.policy = options.restartPolicy ?? new RestartPolicy();
  }

  get state(): RouterState {
    return this.current;
  }

  get session(): RouterSession | undefined {
    return this.current.kind === 'running' ? this.current.session : undefined;
  }

  /**
   * Gets this window a router unless it has one or is getting one: attaches to the shared router of its config, or
   * starts it. A start by the user forgets earlier crashes, so "Start" after a crash loop gets the full number of
   * attempts again.
   */
  async start(byUser = true, attachWaitMs = 0): Promise<void> {
    if (this.current.kind === 'starting' || this.current.kind === 'running') {
      return;
    }
    if (byUser) {
      this.policy.reset();
    }
    this.clearRestartTimer();
    const generation = ++this.generation;
    this.setState({ kind: 'starting' });
    const settings = this.options.settings();
    const socket = this.socketOf(settings);
    if (socket && (await this.attach(socket, settings, generation, attachWaitMs))) {
      return;
    }
    if (generation === this.generation) {
      await this.launch(settings, socket, generation);
    }
  }

  /**
   * Tries the shared router's socket, for up to `waitMs` (the router that won a race to start is binding it). Resolves
   * whether this window is now attached, or has otherwise settled (failed, stopped meanwhile).
   */
  private async attach(socket: string, settings: RouterSettings, generation: number, waitMs: number): Promise<boolean> {
    const logger = this.options.logger;
    const deadline = Date.now() + waitMs;
    for (;;) {
      const link = await socketLink(socket, this.editorSide(), logger, settings.trace);
      if (generation !== this.generation) {
        link?.close();
        return true;
      }
      if (link) {
        const outcome = await this.handshake(link, settings, generation, undefined);
        if (outcome !== 'replace') {
          return outcome !== 'retry';
        }
        if (generation !== this.generation) {
          return true;
        }
        return false; // the older router is gone: start this window's own
      }
      if (Date.now() >= deadline) {
        return false;
      }
      await delay(200);
    }
  }

  /** The Java to run the router with: the setting, else the one the extension carries, else one installed. */
  private discoverJava(settings: RouterSettings): Promise<JavaDiscovery> {
    return (this.options.findJava ?? findJava)({
      javaHomeSetting: settings.javaHome,
      bundledJavaHome: this.options.bundledJavaHome,
      env: this.options.env ?? process.env,
    });
  }

  /** Finds Java and starts the router, shared with other windows when it can be. */
  private async launch(settings: RouterSettings, socket: string | undefined, generation: number): Promise<void> {
    const logger = this.options.logger;
    const discovery = await this.discoverJava(settings);
    if (generation !== this.generation) {
      return;
    }
    if (!discovery.found) {
      this.fail(discovery.settingIsWrong ? 'javaSetting' : 'noJava', discovery.message);
      return;
    }
    const java = discovery.runtime;
    logger.info(`using Java ${java.version} from ${java.origin ?? java.source}: ${java.executable}`);
    const vmArgs = parseVmArgs(settings.vmArgs);
    if (vmArgs.problem) {
      this.fail('badSettings', vmArgs.problem);
      return;
    }
    if (!this.options.command && !existsSync(this.options.jar)) {
      this.fail(
        'missingJar',
        `The router's jar is missing from the extension (${this.options.jar}); reinstall the Claude Code Router extension.`,
      );
      return;
    }
    // The launcher's start-up archive for this jar and Java (an AOT cache on Java 24+), trained after this start.
    const archive = this.options.command
      ? undefined
      : await startupArchive({
          java: java.executable,
          javaMajor: java.major,
          jar: this.options.jar,
          jvmOptions: DEFAULT_VM_ARGS,
          env: this.options.env ?? process.env,
        });
    if (generation !== this.generation) {
      return;
    }
    if (archive) {
      logger.info(`start-up archive: ${archive.description}`);
    }
    const command = this.options.command
      ? this.options.command(java, settings, vmArgs.args)
      : sidecarCommand({
          java: java.executable,
          jar: this.options.jar,
          parentPid: process.pid,
          archiveArgs: archive?.vmArgs,
          vmArgs: vmArgs.args,
          configFile: settings.configFile || undefined,
          shared: socket !== undefined,
        });
    const sidecar = SidecarProcess.start(command, { logger, env: this.options.env, detached: socket !== undefined });
    const link = stdioLink(sidecar, this.editorSide(), logger, settings.trace);
    const outcome = await this.handshake(link, settings, generation, java);
    if (outcome === 'ok') {
      void archive?.trainInBackground(logger, sidecar.exited);
    }
    if (outcome === 'lost' && socket && generation === this.generation) {
      // Another window started the router at the same moment and won; its socket is up, or about to be.
      logger.info('another window started the router at the same moment; attaching to it');
      if (!(await this.attach(socket, settings, generation, this.options.attachTimeoutMs ?? 15_000))) {
        this.crashed(generation, 'the router another window started did not answer on its socket');
      }
    }
  }

  /**
   * The handshake on a new link, and what follows from it:
   * - `ok`: running on it;
   * - `retry`: a socket that went away during the handshake (its router was exiting): try again;
   * - `replace`: the router is of an older ccr and was asked to make way for this window's;
   * - `lost`: this window's new router exited at once, because another one serves the config;
   * - `settled`: failed or stopped, the state says which.
   */
  private async handshake(
    link: RouterLink,
    settings: RouterSettings,
    generation: number,
    java: JavaRuntime | undefined,
  ): Promise<'ok' | 'retry' | 'replace' | 'lost' | 'settled'> {
    const logger = this.options.logger;
    let pushed: ServerStatus | undefined;
    this.pendingStatus = (status) => (pushed = status);
    this.link = link;
    this.handshaking = link;
    this.exiting = undefined;
    void link.ended.then((how) => this.ended(generation, link, how));
    let result: InitializeResult;
    try {
      result = await withTimeout(
        link.connection.request(Methods.initialize, {
          protocolVersion: PROTOCOL_VERSION,
          clientName: 'ccr-vscode',
          clientVersion: this.options.clientVersion,
          capabilities: { apiKeys: true, requestNotifications: true, endpointTestProgress: true },
          workspaceFolders: [...settings.workspaceFolders],
          preferences: { whenEditorsClose: settings.whenEditorsClose ?? 'KEEP_SERVING' },
        }),
        this.options.initializeTimeoutMs ?? 60_000,
        'the router did not answer the handshake in time',
      );
    } catch (e) {
      this.pendingStatus = undefined;
      if (e instanceof ConnectionClosedError && link.process && generation === this.generation) {
        // The process is going: how it ends says whether another router won the race to start.
        const exit = await Promise.race([link.process.exited, delay(EXIT_GRACE_MS).then(() => undefined)]);
        this.handshaking = undefined;
        if (exit?.code === SERVED_ELSEWHERE) {
          this.link = undefined;
          return 'lost';
        }
        this.ended(generation, link, exit);
        return 'settled';
      }
      this.handshaking = undefined;
      if (generation !== this.generation) {
        return 'settled';
      }
      if (e instanceof ConnectionClosedError) {
        this.link = undefined;
        return 'retry'; // a router that was exiting: look again
      }
      if (e instanceof CcrRpcError && e.code === ErrorCodes.INCOMPATIBLE_PROTOCOL_VERSION) {
        // Its end is intended, not a crash to restart after.
        this.link = undefined;
        this.fail(
          'incompatible',
          link.transport === 'socket'
            ? `The router that serves this config already cannot be used by this window (${e.message}); stop it ` +
                `('ccr stop') to let this window start its own.`
            : e.message,
        );
        link.close();
        void link.process?.terminate(TERMINATE_GRACE_MS);
        return 'settled';
      }
      logger.error(`the router's handshake failed: ${e instanceof Error ? e.message : String(e)}`);
      // Ends the process (or the socket); its end counts as a crash, so the restart policy decides what comes next.
      if (link.process) {
        void link.process.terminate(TERMINATE_GRACE_MS);
      } else {
        link.close();
      }
      return 'settled';
    }
    this.handshaking = undefined;
    this.pendingStatus = undefined;
    if (generation !== this.generation) {
      return 'settled';
    }
    if (link.transport === 'socket' && isOlder(result.serverVersion, this.options.clientVersion)) {
      if (result.status.lifetime === 'SHARED') {
        logger.info(
          `the router serving this config is of ccr ${result.serverVersion}, older than this window's ` +
            `${this.options.clientVersion}: replacing it`,
        );
        this.link = undefined;
        await link.connection.request(Methods.stopRouter, { reason: 'REPLACED' }).catch(() => undefined);
        await Promise.race([link.ended, delay(EXIT_GRACE_MS)]);
        link.close();
        return 'replace';
      }
      logger.warn(
        `the router serving this config is ccr ${result.serverVersion} (started with 'ccr start' or the service), ` +
          `older than this window's ${this.options.clientVersion}; restart it to update it`,
      );
    }
    this.setState({
      kind: 'running',
      session: {
        connection: link.connection,
        serverVersion: result.serverVersion,
        processId: result.processId,
        capabilities: result.capabilities,
        java,
        // A status pushed while the answer was on its way is newer than the one in the answer.
        status: pushed ?? result.status,
        transport: link.transport,
      },
    });
    const where = result.status.baseUrl ? ` on ${result.status.baseUrl}` : '';
    if (link.transport === 'socket') {
      logger.info(
        `attached to the router ${result.serverVersion} (pid ${result.processId}, protocol ${result.protocolVersion}) ` +
          `that serves ${result.status.editors ?? 1} window(s); proxy ${result.status.proxy}${where}`,
      );
    } else {
      logger.info(
        `router ${result.serverVersion} is up (pid ${result.processId}, protocol ${result.protocolVersion}); ` +
          `proxy ${result.status.proxy}${where}`,
      );
    }
    return 'ok';
  }

  /** Where a status pushed before the handshake's answer goes. */
  private pendingStatus: ((status: ServerStatus) => void) | undefined;
  /** The link whose handshake is under way: its end is the handshake's to deal with. */
  private handshaking: RouterLink | undefined;

  /** What the router calls on this window. */
  private editorSide(): EditorSide {
    return {
      statusChanged: (params) => {
        this.pendingStatus?.(params.status);
        const running = this.session;
        if (running && this.link?.connection === running.connection) {
          this.setState({ kind: 'running', session: { ...running, status: params.status } });
        }
      },
      configChanged: (params) => this.configEmitter.fire(params.config),
      requestsCompleted: (params) => this.requestsEmitter.fire(params),
      endpointTestProgress: (params) => this.progressEmitter.fire(params),
      getApiKey: async (params) => {
        const apiKey = await this.options.apiKey(params.endpoint);
        return apiKey ? { apiKey } : {};
      },
      routerExiting: (params) => {
        this.exiting = params;
        this.options.logger.info(`the router is exiting: ${params.message}`);
      },
    };
  }

  /**
   * Runs a one-off `ccr` command with the router's jar (`claude disable` while no router runs, say) and returns what it
   * printed; fails with a message for the user when Java or the jar is missing or the command fails.
   */
  async runCommand(args: string[]): Promise<string> {
    const settings = this.options.settings();
    const discovery = await this.discoverJava(settings);
    if (!discovery.found) {
      throw new Error(discovery.message);
    }
    const command = ccrCommand(
      { java: discovery.runtime.executable, jar: this.options.jar, configFile: settings.configFile || undefined },
      args,
    );
    this.options.logger.info(`running: ${printable(command)}`);
    const result = await runCcrCommand(command, this.options.env ?? process.env);
    if (result.code !== 0) {
      throw new Error(result.stderr.trim() || `ccr ${args.join(' ')} failed (exit status ${result.code})`);
    }
    return result.stdout;
  }

  /** The user's preference changed: the router acts on it when the windows close. */
  async preferencesChanged(): Promise<void> {
    const whenEditorsClose = this.options.settings().whenEditorsClose ?? 'KEEP_SERVING';
    await this.session?.connection.notify(Methods.preferencesChanged, { preferences: { whenEditorsClose } });
  }

  /**
   * Stops the router, for every window, and waits until it has gone: `router/stop` (each window is told, so none
   * starts another), then the process is ended if this window started it and it lingers. `REPLACED` (a restart) lets
   * the other windows attach to the next one. Claude Code's settings stay as they are.
   */
  async stop(reason: StopReason = 'STOP_REQUESTED'): Promise<void> {
    this.generation++;
    this.clearRestartTimer();
    const link = this.link;
    const session = this.session;
    this.link = undefined;
    this.setState(reason === 'REPLACED' ? { kind: 'stopped', replacing: true } : { kind: 'stopped' });
    if (!link) {
      return;
    }
    this.options.logger.info(`stopping the router (pid ${session?.processId ?? link.process?.pid})`);
    if (session && !session.connection.isClosed) {
      try {
        if (session.status.lifetime === undefined || session.status.lifetime === 'EDITOR') {
          // A router of protocol 1.0 stops with shutdown and exit.
          await withTimeout(session.connection.request(Methods.shutdown), SHUTDOWN_TIMEOUT_MS, 'shutdown timed out');
          await session.connection.notify(Methods.exit);
        } else {
          await withTimeout(
            session.connection.request(Methods.stopRouter, { reason }),
            SHUTDOWN_TIMEOUT_MS + EXIT_GRACE_MS,
            'router/stop timed out',
          );
        }
        await Promise.race([link.ended, delay(EXIT_GRACE_MS)]);
      } catch (e) {
        this.options.logger.warn(`the router did not stop cleanly: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const exit = link.process ? await link.process.terminate(TERMINATE_GRACE_MS) : undefined;
    link.close();
    this.options.logger.info(`the router stopped${exit ? ` (${describeExit(exit)})` : ''}`);
  }

  /**
   * This window is closing (or reloading): a shared router is let go, to serve the other windows and Claude Code, and
   * decides by itself what to do once no window is left; a router of one window (protocol 1.0) is stopped.
   */
  async detach(): Promise<void> {
    const session = this.session;
    const link = this.link;
    if (!session || !link || session.status.lifetime === undefined || session.status.lifetime === 'EDITOR') {
      await this.stop();
      return;
    }
    this.generation++;
    this.clearRestartTimer();
    this.link = undefined;
    this.setState({ kind: 'stopped' });
    try {
      await withTimeout(session.connection.request(Methods.shutdown), DETACH_TIMEOUT_MS, 'shutdown timed out');
      await session.connection.notify(Methods.exit);
    } catch {
      // the router may be going away itself; closing the link says the same
    }
    link.close();
    this.options.logger.info(`detached from the router (pid ${session.processId}); it goes on serving`);
  }

  /** Stops the router and gets a new one; other windows attach to it. */
  async restart(): Promise<void> {
    await this.stop('REPLACED');
    await this.start(true);
  }

  dispose(): void {
    this.clearRestartTimer();
    this.stateEmitter.dispose();
    this.configEmitter.dispose();
    this.requestsEmitter.dispose();
    this.progressEmitter.dispose();
  }

  /** The link ended; unless this window ended it, that was the router's doing. */
  private ended(generation: number, link: RouterLink, exit: SidecarExit | undefined): void {
    if (this.handshaking === link) {
      return;
    }
    link.connection.dispose();
    if (this.link !== link || generation !== this.generation) {
      return; // an intended stop, an older link, or one the handshake dealt with
    }
    this.link = undefined;
    const exiting = this.exiting;
    if (exiting?.reason === 'STOP_REQUESTED') {
      this.options.logger.info(`the router was stopped: ${exiting.message}`);
      this.setState({ kind: 'stopped', message: exiting.message });
      return;
    }
    if (exiting?.reason === 'REPLACED') {
      this.options.logger.info(`the router is being replaced (${exiting.message}); attaching to the new one`);
      this.setState({ kind: 'restarting', delayMs: 0, crashes: 0, lastExit: exiting.message });
      void this.start(false, this.options.replacementWaitMs ?? 10_000);
      return;
    }
    if (exit?.outOfMemory) {
      this.fail(
        'outOfMemory',
        'The router ran out of memory and stopped; restarting it would only repeat that. Give it more with ' +
          'ccr.server.vmargs (for example -Xmx512m), then start it again.',
      );
      return;
    }
    this.crashed(generation, exit ? describeExit(exit) : 'the router closed its connection');
  }

  /** The router went away unasked: start or attach again after a pause, until the crash-loop limit. */
  private crashed(generation: number, how: string): void {
    if (generation !== this.generation) {
      return;
    }
    const decision = this.policy.crashed();
    this.options.logger.error(`the router stopped unexpectedly (${how})`);
    if (!decision.restart) {
      this.fail(
        'crashLoop',
        `The router stopped unexpectedly ${decision.crashesInWindow} times within 3 minutes (last: ${how}), so it ` +
          `is not restarted again. The logs say why; start it again once that is fixed.`,
      );
      return;
    }
    this.options.logger.info(`restarting the router in ${decision.delayMs / 1000} s`);
    this.setState({ kind: 'restarting', delayMs: decision.delayMs, crashes: decision.crashesInWindow, lastExit: how });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.start(false);
    }, decision.delayMs);
  }

  private socketOf(settings: RouterSettings): string | undefined {
    // Node.js opens no AF_UNIX sockets on Windows (a path there is a named pipe, which Java cannot serve): each window
    // runs a router of its own there, as before protocol 1.1 (docs/PROTOCOL.md, Transports).
    if (this.options.socket === null || (this.options.socket === undefined && process.platform === 'win32')) {
      return undefined;
    }
    return this.options.socket
      ? this.options.socket(settings)
      : routerSocket(settings.configFile || undefined, this.options.env ?? process.env);
  }

  private fail(problem: RouterProblem, message: string): void {
    this.options.logger.error(message);
    this.setState({ kind: 'failed', problem, message });
  }

  private setState(state: RouterState): void {
    this.current = state;
    this.stateEmitter.fire(state);
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
    }
  }
}

export function describeExit(exit: SidecarExit): string {
  if (exit.spawnError) {
    return `could not be started: ${exit.spawnError.message}`;
  }
  if (exit.signal) {
    return `killed by ${exit.signal}`;
  }
  return `exit status ${exit.code}`;
}

/**
 * Whether ccr version `a` is older than `b`: numeric dot-separated parts compared in order, and a pre-release
 * (`0.2.0-SNAPSHOT`) older than its release.
 */
export function isOlder(a: string, b: string): boolean {
  const parse = (v: string) => {
    const [core, pre] = v.split('-', 2);
    return { parts: core.split('.').map((n) => Number.parseInt(n, 10) || 0), pre: pre !== undefined };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.parts.length, y.parts.length); i++) {
    const d = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (d !== 0) {
      return d < 0;
    }
  }
  return x.pre && !y.pre;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
