import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { findJava, parseJavaVersion } from '../src/java/javaRuntime';

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
    const result = await findJava({ env: { JAVA_HOME: jdk11, PATH: path.join(broken, 'bin') } });
    assert.ok(!result.found);
    assert.equal(result.settingIsWrong, false);
    assert.match(result.message, /needs Java 17 or newer/);
    assert.match(result.message, /ccr\.java\.home is not set/);
    assert.match(result.message, /JAVA_HOME is ".*jdk11", but it is Java 11/);
    assert.match(result.message, /broken\/bin\/java \(on PATH\): .* printed no version/);
    assert.match(result.message, /set ccr\.java\.home/);

    const nothing = await findJava({ env: { PATH: '/nonexistent' } });
    assert.ok(!nothing.found);
    assert.match(nothing.message, /JAVA_HOME is not set; there is no java on PATH/);
  });
});
