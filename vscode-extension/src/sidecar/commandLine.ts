/** What the sidecar is started with. */
export interface SidecarCommand {
  readonly executable: string;
  readonly args: readonly string[];
}

export interface SidecarCommandOptions {
  readonly java: string;
  readonly jar: string;
  /** This process: the sidecar exits when it dies, even if our end of its pipes is never closed. */
  readonly parentPid: number;
  /** The start-up archive's options (`-XX:AOTCache=…` or `-XX:SharedArchiveFile=…`; see java/startupArchive.ts). */
  readonly archiveArgs?: readonly string[];
  /** `ccr.server.vmargs`, split into words; added after ours so they win. */
  readonly vmArgs?: readonly string[];
  /** `ccr.configFile`; absent: the server's default (~/.claude-code-router/config.json). */
  readonly configFile?: string;
  /** `ccr lsp --shared`: the router serves every window of this config on its socket and outlives this one. */
  readonly shared?: boolean;
}

/** The exit status of `ccr lsp --shared` when another router serves the config already: attach to it instead. */
export const SERVED_ELSEWHERE = 4;

/**
 * The JVM options of the `server/ccr` launcher script (read it for what each one measured), so the sidecar behaves like
 * `ccr start`: a router holds little, and a small heap with the serial collector keeps it light next to VS Code.
 * `-Xlog:disable -Xlog:all=warning:stderr` keeps the JVM's own messages off stdout, which carries nothing but JSON-RPC.
 * `ExitOnOutOfMemoryError` turns an OOM into an exit the launcher can recognise, instead of a half-working router.
 * `-Dio.netty.jfr.enabled=false` keeps Netty from initialising Flight Recorder's type system at start (3-4 MB).
 */
export const DEFAULT_VM_ARGS: readonly string[] = [
  '-Xlog:disable',
  '-Xlog:all=warning:stderr',
  '-XX:+UseSerialGC',
  '-Xms16m',
  '-Xmx256m',
  '-Xss512k',
  '-XX:+ExitOnOutOfMemoryError',
  '-Dio.netty.jfr.enabled=false',
];

export function sidecarCommand(options: SidecarCommandOptions): SidecarCommand {
  const args = [
    ...DEFAULT_VM_ARGS,
    ...(options.archiveArgs ?? []),
    ...(options.vmArgs ?? []),
    '-jar',
    options.jar,
    'lsp',
  ];
  if (options.shared) {
    args.push('--shared');
  }
  args.push('--parent-pid', String(options.parentPid));
  if (options.configFile) {
    args.push('--config', options.configFile);
  }
  return { executable: options.java, args };
}

/** A one-off `ccr` command with the router's jar and JVM options, such as `claude disable --json`. */
export function ccrCommand(
  options: Omit<SidecarCommandOptions, 'parentPid' | 'shared'>,
  args: string[],
): SidecarCommand {
  const config = options.configFile ? ['--config', options.configFile] : [];
  return {
    executable: options.java,
    args: [...DEFAULT_VM_ARGS, ...(options.vmArgs ?? []), '-jar', options.jar, ...args, ...config],
  };
}

/** The command as one line a user can paste into a POSIX shell to run the same thing. */
export function printable(command: SidecarCommand): string {
  return [command.executable, ...command.args].map(shellQuote).join(' ');
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=+,@%-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Splits the `ccr.server.vmargs` setting into words: whitespace separates, single or double quotes group.
 * Options for the JVM only: anything that is not an option is refused, so the setting cannot smuggle in a command.
 */
export function parseVmArgs(text: string | undefined): { args: string[]; problem?: string } {
  if (!text || !text.trim()) {
    return { args: [] };
  }
  const args: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    args.push(match[1] ?? match[2] ?? match[3]);
  }
  const bad = args.find((arg) => !arg.startsWith('-') || arg === '-jar' || arg === '-cp' || arg === '-classpath');
  if (bad !== undefined) {
    return {
      args: [],
      problem: `ccr.server.vmargs may only hold JVM options such as -Xmx512m; "${bad}" is not allowed there`,
    };
  }
  return { args };
}
