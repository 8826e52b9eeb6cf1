import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { installedJavas, type InstalledJava } from '../src/java/installedJavas';
import { findJava, parseJavaVersion } from '../src/java/javaRuntime';
import { javaHomesFromRegistry, parseRegQuery, REGISTRY_KEYS } from '../src/java/windowsRegistry';

const root = mkdtempSync(path.join(tmpdir(), 'ccr-java-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A JDK folder whose bin/java prints the given version banner the way the real one does (on stderr). */
function fakeJdk(name: string, banner: string): string {
  const home = path.join(root, name);
  mkdirSync(path.join(home, 'bin'), { recursive: true });
  const java = path.join(home, 'bin', 'java');
  writeFileSync(java, `#!/bin/sh\necho '${banner}' >&2\n`);
  chmodSync(java, 0o755);
  return home;
}

const jdk21 = fakeJdk('jdk21', 'openjdk version "21.0.4" 2024-07-16 LTS');
const jdk17 = fakeJdk('jdk17', 'openjdk version "17.0.15" 2025-04-15');
const jdk11 = fakeJdk('jdk11', 'openjdk version "11.0.2" 2019-01-15');
const jdk8 = fakeJdk('jdk8', 'java version "1.8.0_392"');
const broken = fakeJdk('broken', 'no version here');
const bundled = fakeJdk('extension/runtime', 'openjdk version "17.0.15" 2025-04-15');
/** Nothing installed elsewhere: the machine running the tests has JDKs of its own, which must not decide them. */
const noneInstalled = async (): Promise<InstalledJava[]> => [];

describe('finding Java', () => {
  it('reads version banners of old and new JDKs', () => {
    assert.deepEqual(parseJavaVersion('openjdk version "17.0.15" 2025-04-15'), { version: '17.0.15', major: 17 });
    assert.deepEqual(parseJavaVersion('java version "1.8.0_392"'), { version: '1.8.0_392', major: 8 });
    assert.deepEqual(parseJavaVersion('Picked up JAVA_TOOL_OPTIONS: -Xmx1g\nopenjdk version "21-ea" 2023-09-19'), {
      version: '21-ea',
      major: 21,
    });
    assert.equal(parseJavaVersion('command not found'), undefined);
  });

  it('prefers ccr.java.home over JAVA_HOME over PATH', async () => {
    const env = { JAVA_HOME: jdk17, PATH: path.join(jdk21, 'bin') };
    const bySetting = await findJava({ javaHomeSetting: jdk21, env });
    assert.ok(bySetting.found);
    assert.equal(bySetting.runtime.source, 'ccr.java.home');
    assert.equal(bySetting.runtime.major, 21);

    const byJavaHome = await findJava({ env });
    assert.ok(byJavaHome.found);
    assert.equal(byJavaHome.runtime.source, 'JAVA_HOME');
    assert.equal(byJavaHome.runtime.executable, path.join(jdk17, 'bin', 'java'));

    const byPath = await findJava({ env: { PATH: `/nonexistent:${path.join(jdk21, 'bin')}` } });
    assert.ok(byPath.found);
    assert.equal(byPath.runtime.source, 'PATH');
    assert.equal(byPath.runtime.version, '21.0.4');
  });

  it('falls through a JAVA_HOME that is too old to the java on PATH', async () => {
    const result = await findJava({ env: { JAVA_HOME: jdk11, PATH: path.join(jdk17, 'bin') } });
    assert.ok(result.found);
    assert.equal(result.runtime.source, 'PATH');
    assert.equal(result.runtime.major, 17);
  });

  it('does not silently replace a ccr.java.home that does not work', async () => {
    const tooOld = await findJava({ javaHomeSetting: jdk8, env: { PATH: path.join(jdk21, 'bin') } });
    assert.equal(tooOld.found, false);
    assert.ok(!tooOld.found && tooOld.settingIsWrong);
    assert.match(!tooOld.found ? tooOld.message : '', /ccr\.java\.home is ".*jdk8", but it is Java 8 \(1\.8\.0_392\)/);

    const missing = await findJava({ javaHomeSetting: path.join(root, 'nope'), env: {} });
    assert.ok(!missing.found && missing.settingIsWrong);
    assert.match(!missing.found ? missing.message : '', /nope\/bin\/java does not exist or cannot be run/);
  });

  it('says what it tried and what to do when nothing fits', async () => {
    const result = await findJava({
      env: { JAVA_HOME: jdk11, PATH: path.join(broken, 'bin') },
      installed: noneInstalled,
    });
    assert.ok(!result.found);
    assert.equal(result.settingIsWrong, false);
    assert.match(result.message, /needs Java 17 or newer/);
    assert.match(result.message, /ccr\.java\.home is not set/);
    assert.match(result.message, /JAVA_HOME is ".*jdk11", but it is Java 11/);
    assert.match(result.message, /broken\/bin\/java \(on PATH\): .* printed no version/);
    assert.match(result.message, /set ccr\.java\.home/);

    const nothing = await findJava({ env: { PATH: '/nonexistent' }, installed: noneInstalled });
    assert.ok(!nothing.found);
    assert.match(nothing.message, /JAVA_HOME is not set; there is no java on PATH/);
    assert.match(nothing.message, /none is installed where SDKMAN, asdf, Homebrew or the system put Java/);
    assert.match(nothing.message, /build for your platform, which brings its own Java/);
  });

  it('prefers the Java inside the extension over JAVA_HOME and PATH, but not over ccr.java.home', async () => {
    const env = { JAVA_HOME: jdk21, PATH: path.join(jdk21, 'bin') };
    const byBundled = await findJava({ bundledJavaHome: bundled, env });
    assert.ok(byBundled.found);
    assert.equal(byBundled.runtime.source, 'bundled');
    assert.equal(byBundled.runtime.executable, path.join(bundled, 'bin', 'java'));

    const bySetting = await findJava({ javaHomeSetting: jdk21, bundledJavaHome: bundled, env });
    assert.ok(bySetting.found);
    assert.equal(bySetting.runtime.source, 'ccr.java.home');
  });

  it('uses JAVA_HOME when the extension has no Java of its own (the universal VSIX)', async () => {
    const result = await findJava({
      bundledJavaHome: path.join(root, 'universal', 'runtime'),
      env: { JAVA_HOME: jdk17 },
    });
    assert.ok(result.found);
    assert.equal(result.runtime.source, 'JAVA_HOME');
  });

  it('says so when the Java inside the extension is broken, and goes on looking', async () => {
    const result = await findJava({ bundledJavaHome: broken, env: {}, installed: noneInstalled });
    assert.ok(!result.found);
    assert.match(result.message, /the Java inside the extension \(.*broken\) does not work: .* printed no version/);
  });

  it('falls back to the newest Java 17+ installed elsewhere (SDKMAN, asdf, Homebrew, the registry…)', async () => {
    const installed = async (): Promise<InstalledJava[]> => [
      { home: jdk21, major: 21, origin: 'SDKMAN' },
      { home: jdk17, major: 17, origin: 'Homebrew' },
      { home: jdk11, major: 11, origin: '/usr/lib/jvm' },
    ];
    const result = await findJava({ env: { PATH: '/nonexistent' }, installed });
    assert.ok(result.found);
    assert.equal(result.runtime.source, 'installed');
    assert.equal(result.runtime.origin, 'SDKMAN');
    assert.equal(result.runtime.major, 21);

    // The release file can lie or be missing: the version is checked by running java.
    const lying = async (): Promise<InstalledJava[]> => [
      { home: jdk11, major: 17, origin: 'asdf' },
      { home: jdk8, origin: 'the Windows registry' },
    ];
    const none = await findJava({ env: {}, installed: lying });
    assert.ok(!none.found);
    assert.match(none.message, /installed elsewhere, none is usable: .*jdk11: it is Java 11.*jdk8: it is Java 8/);
  });

  it('finds the JDKs installed on this machine with jdk-utils', async () => {
    const found = await installedJavas();
    // The build runs on a JDK: it is installed somewhere jdk-utils looks (on these machines, /usr/lib/jvm).
    const javaHome = process.env.JAVA_HOME ?? '/usr/lib/jvm';
    assert.ok(
      found.some((java) => java.home.startsWith(javaHome) && (java.major ?? 0) >= 17),
      `a Java 17+ under ${javaHome} in ${JSON.stringify(found)}`,
    );
    const majors = found.map((java) => java.major ?? 0);
    assert.deepEqual(
      majors,
      [...majors].sort((a, b) => b - a),
      'newest first',
    );
  });
});

describe('Java in the Windows registry', () => {
  // As `reg query "HKLM\SOFTWARE\JavaSoft" /s` and `…\Eclipse Adoptium` print it.
  const javaSoft = [
    '',
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\JavaSoft\\JDK',
    '    CurrentVersion    REG_SZ    21',
    '',
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\JavaSoft\\JDK\\21',
    '    JavaHome    REG_SZ    C:\\Program Files\\Java\\jdk-21',
    '    RuntimeLib    REG_SZ    C:\\Program Files\\Java\\jdk-21\\bin\\server\\jvm.dll',
    '',
  ].join('\r\n');
  const adoptium = [
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Eclipse Adoptium\\JDK\\17.0.15.6\\hotspot\\MSI',
    '    Path    REG_SZ    C:\\Program Files\\Eclipse Adoptium\\jdk-17.0.15.6-hotspot\\',
    '    Main    REG_DWORD    0x1',
  ].join('\r\n');

  it('reads the Java folders from reg query output', () => {
    assert.deepEqual(parseRegQuery(javaSoft), ['C:\\Program Files\\Java\\jdk-21']);
    assert.deepEqual(parseRegQuery(adoptium), ['C:\\Program Files\\Eclipse Adoptium\\jdk-17.0.15.6-hotspot\\']);
  });

  it('asks every vendor key of both hives on Windows, and nothing elsewhere', async () => {
    const asked: string[] = [];
    const homes = await javaHomesFromRegistry('win32', async (key) => {
      asked.push(key);
      return key.endsWith('JavaSoft') ? javaSoft : key === 'HKLM\\SOFTWARE\\Eclipse Adoptium' ? adoptium : '';
    });
    assert.deepEqual(asked, [...REGISTRY_KEYS]);
    assert.ok(asked.includes('HKCU\\SOFTWARE\\JavaSoft'));
    assert.deepEqual(homes, [
      'C:\\Program Files\\Java\\jdk-21',
      'C:\\Program Files\\Eclipse Adoptium\\jdk-17.0.15.6-hotspot\\',
    ]);
    assert.deepEqual(await javaHomesFromRegistry('linux', async () => javaSoft), []);
  });
});
