import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../log';

/**
 * The router's start-up archive, as the `ccr` launcher (server/ccr, server/ccr.cmd) keeps one: most of a JVM start is
 * spent loading, verifying and linking the same few thousand classes, and an archive holds them ready to map
 * (docs/BENCHMARKS.md has the figures). Which archive depends on the Java that runs the router:
 *
 * - Java 24 and newer: an ahead-of-time cache (JEP 483, `-XX:AOTCache`), which also holds linked classes, resolved
 *   constant-pool entries, some heap objects and, from Java 25, method profiles (JEP 515). Recorded and created in two
 *   steps (`-XX:AOTMode=record`, then `=create`); Java 25's one-step `-XX:AOTCacheOutput` does the same in a child JVM.
 * - Java 17 to 23: a dynamic class-data archive (`-XX:ArchiveClassesAtExit`, then `-XX:SharedArchiveFile`).
 *
 * Like the launcher, the extension keeps it in the user's cache (`~/.cache/ccr`, `$XDG_CACHE_HOME/ccr`, or
 * `%LOCALAPPDATA%\ccr\cache`), trains it with `ccr cds-training` (the router started against a loopback stand-in
 * upstream, two requests, exit) and the same JVM options the router runs with, proves it usable before putting it in
 * place (`-Xshare:on` / `-XX:AOTMode=on` fail rather than run without it; Java 17 crashes on a truncated archive), and
 * remembers a failure until the jar or Java changes. `CCR_CDS=off` turns it off here as there. The extension's archives
 * are its own (`vscode-…`): its jar is not the launcher's, and an archive only fits the jar it was made from.
 */

/** Java 24 brought the ahead-of-time cache. */
export const AOT_CACHE_SINCE = 24;

/**
 * With an AOT cache, as with the launcher: the cache's method profiles make the JIT compile the hot code right after
 * start, and glibc keeps the compilers' freed working memory (idle RSS 130 MiB instead of 97); trimming the C heap
 * every 5 s gives it back. Every Java 24+ has the option; Java 17 before 17.0.9 refuses to start on it.
 */
export const AOT_TRIM_OPTION = '-XX:TrimNativeHeapInterval=5000';

/** A training step that runs longer is killed (`cds-training` gives up by itself after 60 s). */
const STEP_LIMIT_MS = 180_000;

/** A lock older than this belongs to a training that died; a new one may start. */
const STALE_LOCK_MS = 10 * 60_000;

export interface StartupArchiveOptions {
  /** The `java` executable and its major version, as Java discovery found them. */
  readonly java: string;
  readonly javaMajor: number;
  /** The router's shaded jar. */
  readonly jar: string;
  /** The JVM options the router runs with (the launcher's set, without the user's own): the archive is trained with them. */
  readonly jvmOptions: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
  /** The home folder; by default `HOME` from {@link env} (as the launcher reads it), else the user's. */
  readonly homedir?: string;
}

/** The archive for one jar and one Java, whether or not it exists yet. */
export interface StartupArchive {
  /**
   * What the java command line gets when a usable archive exists: `-XX:AOTCache=…` and {@link AOT_TRIM_OPTION}, or
   * `-XX:SharedArchiveFile=…`; else nothing.
   */
  readonly vmArgs: readonly string[];
  /** For the log: which archive is used, or why none is. */
  readonly description: string;
  /**
   * Whether {@link trainInBackground} would train one: none is usable, none failed for this jar and Java, and the
   * cache folder is known.
   */
  readonly needsTraining: boolean;
  /**
   * Trains the archive in the background at low priority when {@link needsTraining}; resolves when it is done (or at
   * once when nothing is to be done). Never rejects: a failure is logged and remembered. Call it after the router has
   * started, so the training does not compete with that start.
   *
   * @param until when this settles (the router exited: stopped, or the extension is going away), the training is
   *   abandoned and its JVM killed, so nothing lingers; the next start trains again
   */
  trainInBackground(logger: Logger, until?: Promise<unknown>): Promise<void>;
}

type Kind = 'aot' | 'jsa';

/** Finds the archive for this jar and Java, and whether one must be trained. */
export async function startupArchive(options: StartupArchiveOptions): Promise<StartupArchive> {
  if ((options.env.CCR_CDS ?? '').toLowerCase() === 'off') {
    return none('CCR_CDS=off');
  }
  const folder = cacheFolder(
    options.env,
    options.platform ?? process.platform,
    options.homedir ?? (options.env.HOME || os.homedir()),
  );
  if (!folder) {
    return none('no cache folder (neither a home folder nor LOCALAPPDATA)');
  }
  let jar: { mtimeMs: number; size: number };
  let java: { path: string; mtimeMs: number; size: number };
  try {
    jar = await fs.stat(options.jar);
    // `java` is often a symbolic link (/usr/bin/java, a runtime's bin/java): the file that matters is the real one.
    const real = await fs.realpath(options.java);
    java = { path: real, ...(await fs.stat(real)) };
  } catch (e) {
    return none(`cannot read the jar or Java (${e instanceof Error ? e.message : String(e)})`);
  }
  const kind: Kind = options.javaMajor >= AOT_CACHE_SINCE ? 'aot' : 'jsa';
  const slot = `vscode-${digest(slotKey(options.jar))}`;
  const build = digest(
    [jar.size, jar.mtimeMs, java.path, java.size, java.mtimeMs, options.javaMajor, ...options.jvmOptions].join('\n'),
  );
  const base = path.join(folder, `${slot}-${build}`);
  const file = `${base}.${kind}`;
  const newestInput = Math.max(jar.mtimeMs, java.mtimeMs);

  const archive = await fs.stat(file).catch(() => undefined);
  if (archive && archive.mtimeMs >= newestInput) {
    return {
      vmArgs: kind === 'aot' ? [`-XX:AOTCache=${file}`, AOT_TRIM_OPTION] : [`-XX:SharedArchiveFile=${file}`],
      description: `${kind === 'aot' ? 'ahead-of-time cache' : 'class-data archive'} ${file}`,
      needsTraining: false,
      trainInBackground: () => Promise.resolve(),
    };
  }
  if (await exists(`${base}.failed`)) {
    return none(`making one failed before for this jar and Java (what it printed is in ${base}.failed)`);
  }
  const training: Training = {
    kind,
    folder,
    slot,
    base,
    file,
    java: options.java,
    jar: options.jar,
    jvmOptions: options.jvmOptions,
  };
  return {
    vmArgs: [],
    description: `none yet; one will be trained in the background into ${file}`,
    needsTraining: true,
    trainInBackground: (logger, until) => train(training, logger, until),
  };
}

function none(why: string): StartupArchive {
  return { vmArgs: [], description: `none: ${why}`, needsTraining: false, trainInBackground: () => Promise.resolve() };
}

/** The launcher's cache folder. */
export function cacheFolder(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, homedir: string): string | undefined {
  if (platform === 'win32') {
    return env.LOCALAPPDATA ? path.win32.join(env.LOCALAPPDATA, 'ccr', 'cache') : undefined;
  }
  const base = env.XDG_CACHE_HOME || (homedir ? path.posix.join(homedir, '.cache') : '');
  return base ? path.posix.join(base, 'ccr') : undefined;
}

/**
 * The archive's slot: one per installation of the extension, so that an update (which installs the jar into a new
 * `publisher.name-<version>` folder) replaces the archive of the version before instead of leaving it behind.
 */
export function slotKey(jar: string): string {
  return jar
    .split(/[\\/]/)
    .map((segment) => segment.replace(/-\d+\.\d+\.\d+(?:[-+][\w.-]*)?$/, ''))
    .join('/');
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

interface Training {
  readonly kind: Kind;
  readonly folder: string;
  readonly slot: string;
  readonly base: string;
  readonly file: string;
  readonly java: string;
  readonly jar: string;
  readonly jvmOptions: readonly string[];
}

/** Trains, proves and puts the archive in place; at most one training per archive at a time, across windows. */
async function train(t: Training, logger: Logger, until?: Promise<unknown>): Promise<void> {
  const abandon = new AbortController();
  void until?.then(
    () => abandon.abort(),
    () => abandon.abort(),
  );
  const lock = `${t.base}.lock`;
  try {
    await fs.mkdir(t.folder, { recursive: true });
    if (!(await takeLock(lock))) {
      return; // another window is training it
    }
  } catch (e) {
    logger.warn(`cannot prepare the router's start-up archive in ${t.folder}: ${message(e)}`);
    return;
  }
  const started = Date.now();
  const tmp = `${t.file}.${process.pid}.tmp`;
  const conf = `${t.base}.aotconf.${process.pid}.tmp`;
  try {
    await removeOthers(t, lock);
    logger.info(`training the router's start-up archive in the background (${t.file})`);
    const opts = [...t.jvmOptions];
    const steps: string[][] =
      t.kind === 'aot'
        ? [
            [...opts, '-XX:AOTMode=record', `-XX:AOTConfiguration=${conf}`, '-jar', t.jar, 'cds-training'],
            [...opts, '-XX:AOTMode=create', `-XX:AOTConfiguration=${conf}`, `-XX:AOTCache=${tmp}`, '-cp', t.jar],
            [...opts, '-XX:AOTMode=on', `-XX:AOTCache=${tmp}`, '-jar', t.jar, '--version'],
          ]
        : [
            [...opts, `-XX:ArchiveClassesAtExit=${tmp}`, '-jar', t.jar, 'cds-training'],
            [...opts, '-Xshare:on', `-XX:SharedArchiveFile=${tmp}`, '-jar', t.jar, '--version'],
          ];
    for (const args of steps) {
      const result = await run(t.java, args, t.folder, abandon.signal);
      if (abandon.signal.aborted) {
        logger.info(`the router stopped: its start-up archive will be trained at a later start`);
        return;
      }
      if (!result.ok) {
        await fs.writeFile(`${t.base}.failed`, `${t.java} ${args.join(' ')}\n${result.output}`);
        logger.warn(
          `the router's start-up archive could not be made (${result.why}); the router starts without it until ` +
            `the extension or Java changes. Last output: ${result.output.slice(-1_000)}`,
        );
        return;
      }
    }
    await fs.rename(tmp, t.file);
    const size = (await fs.stat(t.file)).size;
    logger.info(
      `the router's start-up archive is ready (${(size / 1_048_576).toFixed(0)} MiB, ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s); the next start uses it`,
    );
  } catch (e) {
    logger.warn(`the router's start-up archive could not be made: ${message(e)}`);
  } finally {
    await Promise.all([tmp, conf, lock].map((f) => fs.rm(f, { force: true }).catch(() => undefined)));
  }
}

/** Creates the lock file, or takes over one left by a training that died; false when a live training holds it. */
async function takeLock(lock: string): Promise<boolean> {
  try {
    await fs.writeFile(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw e;
    }
    const held = await fs.stat(lock).catch(() => undefined);
    if (held && Date.now() - held.mtimeMs < STALE_LOCK_MS) {
      return false;
    }
    await fs.writeFile(lock, String(process.pid));
    return true;
  }
}

/** Archives of this slot made for another build or Java, and leftovers of interrupted trainings. */
async function removeOthers(t: Training, lock: string): Promise<void> {
  const names = await fs.readdir(t.folder);
  await Promise.all(
    names
      .filter((name) => name.startsWith(`${t.slot}-`))
      .map((name) => path.join(t.folder, name))
      .filter((file) => file !== lock)
      .map((file) => fs.rm(file, { force: true }).catch(() => undefined)),
  );
}

/** Runs one training step at low priority, bounded in time, keeping the end of its output for the log. */
function run(
  java: string,
  args: string[],
  cwd: string,
  signal: AbortSignal,
): Promise<{ ok: boolean; why: string; output: string }> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve({ ok: false, why: 'abandoned', output: '' });
      return;
    }
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8_000);
    };
    // cwd: where a JVM crash report would land.
    const child = spawn(java, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    if (child.pid !== undefined) {
      try {
        os.setPriority(child.pid, os.constants.priority.PRIORITY_BELOW_NORMAL);
      } catch {
        // not allowed here: it runs at normal priority
      }
    }
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(kill, STEP_LIMIT_MS);
    signal.addEventListener('abort', kill, { once: true });
    child.once('error', (e) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', kill);
      resolve({ ok: false, why: `${java} could not be run: ${e.message}`, output });
    });
    child.once('close', (code, ended) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', kill);
      resolve({
        ok: code === 0,
        why: ended ? `ended by ${ended}` : `exit status ${code}`,
        output: output.trim(),
      });
    });
  });
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
