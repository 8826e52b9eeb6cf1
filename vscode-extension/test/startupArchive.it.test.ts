/**
 * The sidecar's start-up archive made for real: the server jar the Maven build made, trained by the JVM that runs the
 * tests (Java 17: a class-data archive) and, when one is installed, by Java 24 or newer (an AOT cache), then proven
 * usable by a JVM that refuses to start without it (-Xshare:on, -XX:AOTMode=on), and mapped by the router the
 * extension starts. A throw-away cache folder; nothing is left behind.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { installedJavas } from '../src/java/installedJavas';
import { findJava, type JavaRuntime } from '../src/java/javaRuntime';
import { AOT_CACHE_SINCE, startupArchive } from '../src/java/startupArchive';
import { MemoryLogger } from '../src/log';
import { DEFAULT_VM_ARGS } from '../src/sidecar/commandLine';
import { RouterService } from '../src/sidecar/routerService';
import { serverJar } from './support/paths';

const run = promisify(execFile);

/** The Java the tests run with (17 in CI), and the newest installed Java 24+ if any. */
async function javas(): Promise<{ classic: JavaRuntime; aot?: JavaRuntime }> {
  const found = await findJava({ env: process.env, installed: async () => [] });
  assert.ok(found.found, 'no Java on JAVA_HOME or PATH');
  const newer = (await installedJavas()).find((java) => (java.major ?? 0) >= AOT_CACHE_SINCE);
  const aot = newer ? await findJava({ env: {}, javaHomeSetting: newer.home, installed: async () => [] }) : undefined;
  return { classic: found.runtime, aot: aot?.found ? aot.runtime : undefined };
}

describe('start-up archive trained by a real JVM', { timeout: 600_000 }, () => {
  let dir: string;
  let found: { classic: JavaRuntime; aot?: JavaRuntime };

  before(async () => {
    assert.ok(
      existsSync(serverJar),
      `the server jar is missing (${serverJar}); build it: ./mvnw -pl server -am package`,
    );
    dir = mkdtempSync(path.join(tmpdir(), 'ccr-archive-it-'));
    found = await javas();
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  async function trainAndProve(java: JavaRuntime, kind: 'aot' | 'jsa'): Promise<string> {
    const env = { XDG_CACHE_HOME: path.join(dir, `cache-${java.major}`) };
    const options = { java: java.executable, javaMajor: java.major, jar: serverJar, jvmOptions: DEFAULT_VM_ARGS, env };
    const pending = await startupArchive(options);
    assert.ok(pending.needsTraining, pending.description);
    const logger = new MemoryLogger();
    await pending.trainInBackground(logger);
    const archive = await startupArchive(options);
    assert.equal(archive.vmArgs.length, kind === 'aot' ? 2 : 1, `${archive.description}\n${logger.lines.join('\n')}`);
    const file = archive.vmArgs[0].replace(/^-XX:[A-Za-z]+=/, '');
    assert.ok(file.endsWith(`.${kind}`), file);
    // Nothing but the archive is left in the cache folder: no lock, no temporary file, no configuration.
    assert.deepEqual(readdirSync(path.dirname(file)), [path.basename(file)]);
    // A JVM that must map it or fail.
    const strict = kind === 'aot' ? '-XX:AOTMode=on' : '-Xshare:on';
    const { stdout } = await run(java.executable, [
      ...DEFAULT_VM_ARGS,
      ...archive.vmArgs,
      strict,
      '-jar',
      serverJar,
      '--version',
    ]);
    assert.match(stdout, /^ccr /);
    return file;
  }

  it('Java 17 to 23: a class-data archive, which the router the extension starts maps', async () => {
    if (found.classic.major >= AOT_CACHE_SINCE) {
      return; // the tests run on a newer Java: the next test covers it
    }
    const file = await trainAndProve(found.classic, 'jsa');

    const home = path.join(dir, 'home');
    mkdirSync(path.join(home, '.claude-code-router'), { recursive: true });
    writeFileSync(path.join(home, '.claude-code-router', 'config.json'), JSON.stringify({ port: 0, endpoints: [] }));
    const logger = new MemoryLogger();
    const service = new RouterService({
      jar: serverJar,
      clientVersion: 'test',
      logger,
      settings: () => ({ workspaceFolders: [], trace: false, vmArgs: '-Xshare:on' }),
      apiKey: async () => undefined,
      env: { ...process.env, HOME: home, USERPROFILE: home, XDG_CACHE_HOME: path.join(dir, 'cache-17') },
      findJava: async () => ({ found: true, runtime: found.classic }),
    });
    try {
      await service.start();
      assert.equal(service.state.kind, 'running', logger.lines.join('\n'));
      const commandLine = logger.lines.find((line) => line.includes('starting the router:'));
      assert.ok(commandLine?.includes(`-XX:SharedArchiveFile=${file}`), commandLine);
      assert.ok(commandLine?.includes('-Dio.netty.jfr.enabled=false'), commandLine);
    } finally {
      await service.stop();
      service.dispose();
    }
  });

  it('Java 24 and newer: an ahead-of-time cache', async (t) => {
    const java = found.classic.major >= AOT_CACHE_SINCE ? found.classic : found.aot;
    if (!java) {
      t.skip(`no Java ${AOT_CACHE_SINCE}+ installed`);
      return;
    }
    await trainAndProve(java, 'aot');
  });
});
