import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../log';
import { printable, type SidecarCommand } from './commandLine';

/** How the sidecar process ended. */
export interface SidecarExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The JVM ran out of memory (`-XX:+ExitOnOutOfMemoryError` said so on stderr): restarting would only repeat it. */
  readonly outOfMemory: boolean;
  /** The process could not be started at all (ENOENT, EACCES). */
  readonly spawnError?: Error;
}

export interface SidecarProcessOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly logger: Logger;
  /**
   * A router that may outlive this window (`ccr lsp --shared`): on POSIX it gets a session of its own, so that what
   * ends this window's process group (a terminal's hang-up, a `kill` of the group) does not end it too.
   */
  readonly detached?: boolean;
}

/**
 * One run of the sidecar: the child process, its stdio for the protocol, and its stderr copied line by line to the log
 * (the server writes its application log there and nothing secret). Logs the exact command line first, so a user can
 * run the same thing in a terminal.
 */
export class SidecarProcess {
  readonly exited: Promise<SidecarExit>;
  private exitedFlag = false;

  private constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, Readable>,
    private readonly logger: Logger,
  ) {
    let outOfMemory = false;
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => {
      if (line.includes('Terminating due to java.lang.OutOfMemoryError')) {
        outOfMemory = true;
      }
      logger.server(line);
    });
    // Writing to a sidecar that has just died fails with EPIPE; its exit is what matters and is reported below.
    child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      child.once('error', (spawnError) => {
        if (child.pid === undefined) {
          this.exitedFlag = true;
          resolve({ code: null, signal: null, outOfMemory: false, spawnError });
        }
      });
      child.once('exit', (code, signal) => {
        this.exitedFlag = true;
        resolve({ code, signal, outOfMemory });
      });
    });
  }

  static start(command: SidecarCommand, options: SidecarProcessOptions): SidecarProcess {
    options.logger.info(`starting the router: ${printable(command)}`);
    const child = spawn(command.executable, [...command.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
      detached: options.detached === true && process.platform !== 'win32',
    });
    return new SidecarProcess(child, options.logger);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The sidecar's stdout: JSON-RPC from the server. */
  get output(): Readable {
    return this.child.stdout;
  }

  /** The sidecar's stdin: JSON-RPC to the server. Closing it makes the server exit. */
  get input(): Writable {
    return this.child.stdin;
  }

  get hasExited(): boolean {
    return this.exitedFlag;
  }

  /**
   * Ends the process for good: closes its input (the server exits on stdin EOF within a fraction of a second), then
   * SIGTERM, then SIGKILL, each after `graceMs` without an exit.
   */
  async terminate(graceMs = 2_000): Promise<SidecarExit> {
    if (!this.exitedFlag) {
      this.child.stdin.end();
      if (!(await this.exitsWithin(graceMs))) {
        this.logger.warn(`the router (pid ${this.pid}) did not exit after its input closed; sending SIGTERM`);
        this.child.kill('SIGTERM');
        if (!(await this.exitsWithin(graceMs))) {
          this.logger.warn(`the router (pid ${this.pid}) did not exit on SIGTERM; killing it`);
          this.child.kill('SIGKILL');
        }
      }
    }
    return this.exited;
  }

  /**
   * Lets a shared router go on without this window: its input is closed (the router ends this window's session and
   * decides by itself whether to stay) and nothing here keeps the window's process alive for it.
   */
  release(): void {
    this.child.stdin.end();
    this.child.stdout.destroy();
    this.child.stderr.destroy();
    this.child.unref();
  }

  /** Whether the process exits within the time. */
  async exitsWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const exited = await Promise.race([this.exited.then(() => true as const), timeout]);
    clearTimeout(timer);
    return exited;
  }
}
