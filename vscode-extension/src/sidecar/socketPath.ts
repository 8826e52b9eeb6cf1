import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';

/** The longest socket path used as is; a Unix socket address holds 104 (macOS) to 108 (Linux) bytes. */
export const MAX_SOCKET_PATH = 100;

export interface SocketPathInput {
  /** ccr's folder: `$CCR_HOME`, else `~/.claude-code-router`. */
  readonly ccrHome: string;
  /** The config file the router serves. */
  readonly configFile: string;
  readonly env: NodeJS.ProcessEnv;
  readonly user: string;
  readonly platform: NodeJS.Platform;
}

/**
 * Where the router that serves a config file listens for editors; the same rule as the server's `SocketPath.java`,
 * checked against the same examples (server/src/test/resources/editor-socket-paths.json): the first 16 hex digits of
 * the SHA-256 of `<ccr home>\n<config file>` (absolute, normalised; lower-cased on Windows), `.sock`, in
 * `<ccr home>/rpc/`, or, when that is too long for a socket address, in `$XDG_RUNTIME_DIR/ccr/` or `/tmp/ccr-<user>/`
 * (`%TEMP%\ccr\` on Windows).
 */
export function socketPath(input: SocketPathInput): string {
  const windows = input.platform === 'win32';
  const p = windows ? path.win32 : path.posix;
  const key = (file: string) => {
    const resolved = p.resolve(file);
    const trimmed = resolved.length > 1 && resolved.endsWith(p.sep) ? resolved.slice(0, -1) : resolved;
    return windows ? trimmed.toLowerCase() : trimmed;
  };
  const home = key(input.ccrHome);
  const name = `${createHash('sha256')
    .update(`${home}\n${key(input.configFile)}`, 'utf8')
    .digest('hex')
    .slice(0, 16)}.sock`;
  const preferred = p.join(home, 'rpc', name);
  if (Buffer.byteLength(preferred, 'utf8') <= MAX_SOCKET_PATH) {
    return preferred;
  }
  if (windows) {
    return p.join(input.env.TEMP ?? os.tmpdir(), 'ccr', name);
  }
  const runtime = input.env.XDG_RUNTIME_DIR;
  if (runtime && runtime.startsWith('/')) {
    return p.join(runtime, 'ccr', name);
  }
  return p.join('/tmp', `ccr-${input.user}`, name);
}

/** ccr's folder as the server finds it: `$CCR_HOME`, else `.claude-code-router` in `$HOME`. */
export function ccrHome(env: NodeJS.ProcessEnv): string {
  if (env.CCR_HOME && env.CCR_HOME.trim()) {
    return env.CCR_HOME;
  }
  const home = env.HOME && env.HOME.trim() ? env.HOME : os.homedir();
  return path.join(home, '.claude-code-router');
}

/** The socket of the router for these settings, in this environment. */
export function routerSocket(configFile: string | undefined, env: NodeJS.ProcessEnv): string {
  const home = ccrHome(env);
  return socketPath({
    ccrHome: home,
    configFile: configFile || path.join(home, 'config.json'),
    env,
    user: os.userInfo().username,
    platform: process.platform,
  });
}
