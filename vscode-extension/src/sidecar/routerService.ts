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
  type RequestsCompletedParams,
  type ServerCapabilities,
  type ServerStatus,
} from '../protocol/protocol';
import { CcrConnection, CcrRpcError } from '../rpc/ccrConnection';
import { DEFAULT_VM_ARGS, parseVmArgs, sidecarCommand, type SidecarCommand } from './commandLine';
import { RestartPolicy } from './restartPolicy';
import { SidecarProcess, type SidecarExit } from './sidecarProcess';

/** What the user configured for the router, read again at each start. */
export interface RouterSettings {
  readonly javaHome?: string;
  readonly vmArgs?: string;
  readonly configFile?: string;
  readonly workspaceFolders: readonly string[];
  /** Log each protocol message's method and timing (never its content). */
  readonly trace: boolean;
}

/** A running sidecar after a successful handshake. */
export interface RouterSession {
  readonly connection: CcrConnection;
  readonly serverVersion: string;
  readonly processId: number;
  readonly capabilities: ServerCapabilities;
  readonly java: JavaRuntime;
  /** The latest status the server pushed. */
  readonly status: ServerStatus;
}

/** Why the router is not running and will not be restarted without the user. */
export type RouterProblem =
  'noJava' | 'javaSetting' | 'badSettings' | 'missingJar' | 'incompatible' | 'outOfMemory' | 'crashLoop';

export type RouterState =
  | { readonly kind: 'stopped' }
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
}

const SHUTDOWN_TIMEOUT_MS = 3_000;
const TERMINATE_GRACE_MS = 2_000;
const EXIT_GRACE_MS = 1_000;

/**
 * Keeps the sidecar (`ccr lsp`) running for this window: finds Java, starts the process, performs the handshake,
 * restarts it after a crash with backoff until the crash-loop limit, and stops it cleanly. It holds the connection and
 * the latest pushed status, and re-announces what the server pushes. No `vscode` here: the UI listens to the events.
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
  private process: SidecarProcess | undefined;
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
   * Starts the router unless it runs or is starting. A start by the user forgets earlier crashes, so "Start" after a
   * crash loop gets the full number of attempts again.
   */
  async start(byUser = true): Promise<void> {
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
    const logger = this.options.logger;

    const discovery = await (this.options.findJava ?? findJava)({
      javaHomeSetting: settings.javaHome,
      bundledJavaHome: this.options.bundledJavaHome,
      env: this.options.env ?? process.env,
    });
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
        });

    const sidecar = SidecarProcess.start(command, { logger, env: this.options.env });
    this.process = sidecar;
    let status: ServerStatus | undefined;
    const connection = new CcrConnection(
      sidecar.output,
      sidecar.input,
      {
        statusChanged: (params) => {
          status = params.status;
          const running = this.session;
          if (running && running.connection === connection) {
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
      },
      logger,
      settings.trace,
    );
    void sidecar.exited.then((exit) => this.exited(generation, sidecar, connection, exit));

    try {
      const result = await withTimeout(
        connection.request(Methods.initialize, {
          protocolVersion: PROTOCOL_VERSION,
          clientName: 'ccr-vscode',
          clientVersion: this.options.clientVersion,
          capabilities: { apiKeys: true, requestNotifications: true, endpointTestProgress: true },
          workspaceFolders: [...settings.workspaceFolders],
        }),
        this.options.initializeTimeoutMs ?? 60_000,
        'the router did not answer the handshake in time',
      );
      if (generation !== this.generation) {
        return;
      }
      this.setState({
        kind: 'running',
        session: {
          connection,
          serverVersion: result.serverVersion,
          processId: result.processId,
          capabilities: result.capabilities,
          java,
          // A status pushed while the answer was on its way is newer than the one in the answer.
          status: status ?? result.status,
        },
      });
      logger.info(
        `router ${result.serverVersion} is up (pid ${result.processId}, protocol ${result.protocolVersion}); ` +
          `proxy ${result.status.proxy}${result.status.baseUrl ? ` on ${result.status.baseUrl}` : ''}`,
      );
      void archive?.trainInBackground(logger, sidecar.exited);
    } catch (e) {
      if (generation !== this.generation || sidecar.hasExited) {
        return; // stopped meanwhile, or the exit handler reports the crash
      }
      if (e instanceof CcrRpcError && e.code === ErrorCodes.INCOMPATIBLE_PROTOCOL_VERSION) {
        // Its exit is intended, not a crash to restart after.
        this.process = undefined;
        this.fail('incompatible', e.message);
        void sidecar.terminate(TERMINATE_GRACE_MS);
        return;
      }
      logger.error(`the router's handshake failed: ${e instanceof Error ? e.message : String(e)}`);
      // Ends the process; its exit counts as a crash, so the restart policy decides what comes next.
      void sidecar.terminate(TERMINATE_GRACE_MS);
    }
  }

  /**
   * Stops the router and waits until its process has exited: `shutdown` (the proxy finishes requests in flight for a
   * moment), `exit`, then the process is ended if it lingers. Claude Code's settings stay as they are.
   */
  async stop(): Promise<void> {
    this.generation++;
    this.clearRestartTimer();
    const sidecar = this.process;
    const session = this.session;
    this.process = undefined;
    this.setState({ kind: 'stopped' });
    if (!sidecar) {
      return;
    }
    this.options.logger.info(`stopping the router (pid ${sidecar.pid})`);
    if (session && !session.connection.isClosed) {
      try {
        await withTimeout(session.connection.request(Methods.shutdown), SHUTDOWN_TIMEOUT_MS, 'shutdown timed out');
        await session.connection.notify(Methods.exit);
        // `exit` is the protocol's way out; closing stdin (below) only if the server does not take it.
        await sidecar.exitsWithin(EXIT_GRACE_MS);
      } catch (e) {
        this.options.logger.warn(`the router did not shut down cleanly: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const exit = await sidecar.terminate(TERMINATE_GRACE_MS);
    session?.connection.dispose();
    this.options.logger.info(`the router stopped (${describeExit(exit)})`);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start(true);
  }

  dispose(): void {
    this.clearRestartTimer();
    this.stateEmitter.dispose();
    this.configEmitter.dispose();
    this.requestsEmitter.dispose();
    this.progressEmitter.dispose();
  }

  private exited(generation: number, sidecar: SidecarProcess, connection: CcrConnection, exit: SidecarExit): void {
    connection.dispose();
    if (this.process !== sidecar || generation !== this.generation) {
      return; // an intended stop, or an older process
    }
    this.process = undefined;
    const how = describeExit(exit);
    if (exit.outOfMemory) {
      this.fail(
        'outOfMemory',
        'The router ran out of memory and stopped; restarting it would only repeat that. Give it more with ' +
          'ccr.server.vmargs (for example -Xmx512m), then start it again.',
      );
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

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
