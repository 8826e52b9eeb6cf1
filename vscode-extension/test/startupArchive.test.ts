/**
 * The sidecar's start-up archive and flags: the same JVM options as the `ccr` launchers (read from server/ccr and
 * server/ccr.cmd, so the two cannot drift apart), an AOT cache on Java 24+ and a class-data archive before, used only
 * when it is newer than the jar and Java, not retrained after a failure, off with CCR_CDS=off, one slot per
 * installation so an update replaces the archive of the version before. Training with a real JVM is in
 * startupArchive.it.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  AOT_TRIM_OPTION,
  cacheFolder,
  slotKey,
  startupArchive,
  type StartupArchiveOptions,
} from '../src/java/startupArchive';
import { DEFAULT_VM_ARGS, sidecarCommand } from '../src/sidecar/commandLine';
import { repoRoot } from './support/paths';

let dir: string;
let options: StartupArchiveOptions;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ccr-archive-'));
  const jar = path.join(dir, 'ext', 'ccr-dev.ccr-vscode-0.1.0', 'server', 'ccr.jar');
  const java = path.join(dir, 'jdk', 'bin', 'java');
  mkdirSync(path.dirname(jar), { recursive: true });
  mkdirSync(path.dirname(java), { recursive: true });
  writeFileSync(jar, 'jar');
  writeFileSync(java, 'java');
  const past = new Date(Date.now() - 60_000);
  utimesSync(jar, past, past);
  utimesSync(java, past, past);
  options = {
    java,
    javaMajor: 25,
    jar,
    jvmOptions: DEFAULT_VM_ARGS,
    env: { XDG_CACHE_HOME: path.join(dir, 'cache') },
    platform: 'linux',
    homedir: path.join(dir, 'home'),
  };
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Where startupArchive() says it will train, made to exist as if a training had put it there. */
async function trained(opts: StartupArchiveOptions): Promise<string> {
  const pending = await startupArchive(opts);
  assert.ok(pending.needsTraining, pending.description);
  const file = /into (.+)$/.exec(pending.description)?.[1];
  assert.ok(file, pending.description);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, 'archive');
  return file;
}

describe('start-up archive', () => {
  it('the sidecar runs with the same JVM options as the ccr launchers', () => {
    const posix = readFileSync(path.join(repoRoot, 'server', 'ccr'), 'utf8');
    let fromScript = '';
    for (const match of posix.matchAll(/^jvm_opts="(.*)"$/gm)) {
      fromScript = match[1].replace('$jvm_opts', fromScript);
    }
    assert.deepEqual(fromScript.trim().split(/\s+/), [...DEFAULT_VM_ARGS]);
    const windows = readFileSync(path.join(repoRoot, 'server', 'ccr.cmd'), 'utf8');
    const fromCmd = /^set "jvm_opts=(.*)"\r?$/m.exec(windows)?.[1];
    assert.deepEqual(fromCmd?.trim().split(/\s+/), [...DEFAULT_VM_ARGS]);
    // With an AOT cache, both launchers trim the C heap as the sidecar does.
    assert.match(posix, new RegExp(`^\\s*trim_opts=${AOT_TRIM_OPTION}$`, 'm'));
    assert.match(windows, new RegExp(`AOTCache=%base%\\.aot" ${AOT_TRIM_OPTION}"`));
  });

  it('on Java 24+, the command line maps the AOT cache once it is trained, after the flags and before the user options', async () => {
    const first = await startupArchive(options);
    assert.deepEqual(first.vmArgs, []);
    assert.ok(first.needsTraining);
    const file = await trained(options);
    assert.ok(file.endsWith('.aot'), file);
    assert.ok(file.startsWith(path.join(dir, 'cache', 'ccr', 'vscode-')), file);

    const archive = await startupArchive(options);
    assert.equal(archive.needsTraining, false);
    assert.deepEqual(archive.vmArgs, [`-XX:AOTCache=${file}`, '-XX:TrimNativeHeapInterval=5000']);
    const command = sidecarCommand({
      java: options.java,
      jar: options.jar,
      parentPid: 7,
      archiveArgs: archive.vmArgs,
      vmArgs: ['-Xmx512m'],
    });
    assert.deepEqual(command.args, [
      ...DEFAULT_VM_ARGS,
      `-XX:AOTCache=${file}`,
      AOT_TRIM_OPTION,
      '-Xmx512m',
      '-jar',
      options.jar,
      'lsp',
      '--parent-pid',
      '7',
    ]);
  });

  it('on Java 17 to 23, a class-data archive; an AOT cache made for another Java is not used', async () => {
    const aot = await trained(options);
    const java17 = { ...options, javaMajor: 17 };
    const file = await trained(java17);
    assert.ok(file.endsWith('.jsa'), file);
    assert.notEqual(path.basename(file, '.jsa'), path.basename(aot, '.aot'));
    assert.deepEqual((await startupArchive(java17)).vmArgs, [`-XX:SharedArchiveFile=${file}`]);
  });

  it('an archive older than the jar or Java is not used, and a new one is trained', async () => {
    await trained(options);
    const later = new Date(Date.now() + 5_000);
    utimesSync(options.jar, later, later);
    const afterRebuild = await startupArchive(options);
    assert.deepEqual(afterRebuild.vmArgs, []);
    assert.ok(afterRebuild.needsTraining);

    utimesSync(options.jar, new Date(0), new Date(0));
    const file = await trained(options);
    utimesSync(options.java, later, later);
    const afterJavaUpdate = await startupArchive(options);
    assert.deepEqual(afterJavaUpdate.vmArgs, []);
    assert.ok(!afterJavaUpdate.description.includes(file));
  });

  it('a failed training is not repeated for the same jar and Java', async () => {
    const file = await trained(options);
    rmSync(file);
    writeFileSync(file.replace(/\.aot$/, '.failed'), 'the output of the failed step');
    const archive = await startupArchive(options);
    assert.deepEqual(archive.vmArgs, []);
    assert.equal(archive.needsTraining, false);
    assert.match(archive.description, /failed before/);
  });

  it('CCR_CDS=off turns it off, as it does for the launcher', async () => {
    await trained(options);
    const off = await startupArchive({ ...options, env: { ...options.env, CCR_CDS: 'off' } });
    assert.deepEqual(off.vmArgs, []);
    assert.equal(off.needsTraining, false);
  });

  it('lives in the launcher cache folder', () => {
    assert.equal(cacheFolder({}, 'linux', '/home/me'), '/home/me/.cache/ccr');
    assert.equal(cacheFolder({ XDG_CACHE_HOME: '/x/cache' }, 'darwin', '/Users/me'), '/x/cache/ccr');
    assert.equal(
      cacheFolder({ LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'win32', 'C:\\Users\\me'),
      'C:\\Users\\me\\AppData\\Local\\ccr\\cache',
    );
    assert.equal(cacheFolder({}, 'win32', 'C:\\Users\\me'), undefined);
  });

  it('versions of one installation share a slot, so an update replaces the old archive', () => {
    const v1 = '/home/me/.vscode/extensions/ccr-dev.ccr-vscode-0.1.0/server/ccr.jar';
    const v2 = '/home/me/.vscode/extensions/ccr-dev.ccr-vscode-0.2.0-linux-x64/server/ccr.jar';
    const insiders = '/home/me/.vscode-insiders/extensions/ccr-dev.ccr-vscode-0.2.0/server/ccr.jar';
    assert.equal(slotKey(v1), slotKey(v2));
    assert.notEqual(slotKey(v1), slotKey(insiders));
    assert.equal(
      slotKey('C:\\Users\\me\\.vscode\\extensions\\ccr-dev.ccr-vscode-0.1.0\\server\\ccr.jar'),
      'C:/Users/me/.vscode/extensions/ccr-dev.ccr-vscode/server/ccr.jar',
    );
  });
});
