import * as path from 'node:path';
import { findRuntimes, type IJavaRuntime } from 'jdk-utils';
import { javaHomesFromRegistry } from './windowsRegistry';

/** A Java installation found on the machine besides JAVA_HOME and PATH. */
export interface InstalledJava {
  /** The folder that holds `bin/java`. */
  readonly home: string;
  /** From the installation's `release` file; undefined when it has none. */
  readonly major?: number;
  /** Who installed it, for the log: SDKMAN, asdf, the Windows registry, or the folder it was found in. */
  readonly origin: string;
}

/**
 * Java installations in the places users get a JDK from, newest first: SDKMAN, asdf, mise, jEnv, jabba, JBang and
 * Gradle's toolchains, Homebrew, the system's JVM folder (/usr/lib/jvm, /Library/Java/JavaVirtualMachines, Program
 * Files), all found by jdk-utils (the library vscode-java uses), and the Windows registry. JAVA_HOME and PATH are
 * left out: the caller checks them first, from the environment VS Code was started with.
 */
export async function installedJavas(): Promise<InstalledJava[]> {
  const [runtimes, fromRegistry] = await Promise.all([
    findRuntimes({
      withVersion: true,
      withTags: true,
      skipFrom: { javaHomeEnv: true, jdkHomeEnv: true, inPathEnv: true },
    }),
    javaHomesFromRegistry(),
  ]);
  const found: InstalledJava[] = runtimes.map((runtime) => ({
    home: runtime.homedir,
    major: runtime.version?.major,
    origin: originOf(runtime),
  }));
  for (const home of fromRegistry) {
    if (!found.some((java) => samePath(java.home, home))) {
      found.push({ home, origin: 'the Windows registry' });
    }
  }
  // Newest first; one without a known version after those with one (it is checked by running it).
  return found.sort((a, b) => (b.major ?? 0) - (a.major ?? 0));
}

function originOf(runtime: IJavaRuntime): string {
  const tags: [keyof IJavaRuntime, string][] = [
    ['isFromSDKMAN', 'SDKMAN'],
    ['isFromASDF', 'asdf'],
    ['isFromMise', 'mise'],
    ['isFromJENV', 'jEnv'],
    ['isFromJabba', 'jabba'],
    ['isFromJBang', 'JBang'],
    ['isFromGradle', 'Gradle'],
  ];
  const tag = tags.find(([flag]) => runtime[flag] === true);
  if (tag) {
    return tag[1];
  }
  return /[\\/](homebrew|linuxbrew)[\\/]|[\\/]usr[\\/]local[\\/]opt[\\/]/i.test(runtime.homedir)
    ? 'Homebrew'
    : path.dirname(runtime.homedir);
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a).toLowerCase() === path.resolve(b).toLowerCase();
}
