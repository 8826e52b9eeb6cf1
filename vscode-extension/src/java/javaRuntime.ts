import { execFile } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access } from 'node:fs/promises';
import * as path from 'node:path';
import { installedJavas, type InstalledJava } from './installedJavas';

/** The router is built for Java 17 (`maven.compiler.release`). */
export const MINIMUM_JAVA = 17;

/** Where users can get a runtime; shown with the "no Java" message. */
export const JAVA_DOWNLOAD_URL = 'https://adoptium.net/temurin/releases/?version=21';

/** Where the runtime was found; `installed`: by looking where users install Java (see installedJavas.ts). */
export type JavaSource = 'ccr.java.home' | 'bundled' | 'JAVA_HOME' | 'PATH' | 'installed';

export interface JavaRuntime {
  /** The `java` executable to run. */
  readonly executable: string;
  /** As `java -version` prints it, such as `17.0.15`. */
  readonly version: string;
  readonly major: number;
  readonly source: JavaSource;
  /** For an `installed` one: who installed it (SDKMAN, asdf, Homebrew, the Windows registry, or its folder). */
  readonly origin?: string;
}

export type JavaDiscovery =
  | { readonly found: true; readonly runtime: JavaRuntime }
  | {
      readonly found: false;
      /** One paragraph for the user: what was tried, why each failed, what to do. */
      readonly message: string;
      /** Whether the fix is in the `ccr.java.home` setting (it is set but unusable). */
      readonly settingIsWrong: boolean;
    };

export interface JavaDiscoveryOptions {
  /** The `ccr.java.home` setting; blank means unset. */
  readonly javaHomeSetting?: string;
  /**
   * The runtime a platform VSIX carries (its `runtime/` folder, made for the router by the build); the universal VSIX
   * has none, and then this folder does not exist.
   */
  readonly bundledJavaHome?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
  /** Runs `java -version` and returns what it printed; replaced in tests. */
  readonly probe?: (executable: string) => Promise<string>;
  /** Java installations elsewhere on the machine, newest first; replaced in tests. */
  readonly installed?: () => Promise<InstalledJava[]>;
}

/**
 * Finds a Java runtime for the sidecar: the `ccr.java.home` setting, then the runtime inside the extension (platform
 * VSIXs carry one), then `JAVA_HOME`, then `java` on `PATH`, then the newest Java 17+ installed where users get one
 * (SDKMAN, asdf, Homebrew, the system's JVM folder, the Windows registry…). A setting the user made and that does not
 * work is an error of its own rather than a reason to pick some other Java silently (as vscode-java does); `JAVA_HOME`
 * pointing at an old JDK is common and falls through.
 */
export async function findJava(options: JavaDiscoveryOptions): Promise<JavaDiscovery> {
  const platform = options.platform ?? process.platform;
  const probe = options.probe ?? runJavaVersion;
  const exe = platform === 'win32' ? 'java.exe' : 'java';
  const tried: string[] = [];

  const setting = options.javaHomeSetting?.trim();
  if (setting) {
    const verdict = await check(path.join(setting, 'bin', exe), 'ccr.java.home', probe);
    if (verdict.runtime) {
      return { found: true, runtime: verdict.runtime };
    }
    return {
      found: false,
      settingIsWrong: true,
      message:
        `The setting ccr.java.home is "${setting}", but ${verdict.why}. ` +
        `Claude Code Router needs Java ${MINIMUM_JAVA} or newer: point ccr.java.home at such a JDK or JRE, or clear ` +
        `it to use the Java the extension finds.`,
    };
  }
  tried.push('ccr.java.home is not set');

  const bundled = options.bundledJavaHome;
  if (bundled && (await exists(bundled))) {
    const verdict = await check(path.join(bundled, 'bin', exe), 'bundled', probe);
    if (verdict.runtime) {
      return { found: true, runtime: verdict.runtime };
    }
    tried.push(`the Java inside the extension (${bundled}) does not work: ${verdict.why}`);
  }

  const javaHome = options.env.JAVA_HOME?.trim();
  if (javaHome) {
    const verdict = await check(path.join(javaHome, 'bin', exe), 'JAVA_HOME', probe);
    if (verdict.runtime) {
      return { found: true, runtime: verdict.runtime };
    }
    tried.push(`JAVA_HOME is "${javaHome}", but ${verdict.why}`);
  } else {
    tried.push('JAVA_HOME is not set');
  }

  const onPath = await findOnPath(exe, options.env, platform);
  if (onPath) {
    const verdict = await check(onPath, 'PATH', probe);
    if (verdict.runtime) {
      return { found: true, runtime: verdict.runtime };
    }
    tried.push(`${onPath} (on PATH): ${verdict.why}`);
  } else {
    tried.push('there is no java on PATH');
  }

  const installed = await (options.installed ?? installedJavas)().catch((): InstalledJava[] => []);
  const tooOld: string[] = [];
  for (const candidate of installed) {
    if (candidate.major !== undefined && candidate.major < MINIMUM_JAVA) {
      tooOld.push(`${candidate.home} (Java ${candidate.major})`);
      continue;
    }
    const verdict = await check(path.join(candidate.home, 'bin', exe), 'installed', probe);
    if (verdict.runtime) {
      return { found: true, runtime: { ...verdict.runtime, origin: candidate.origin } };
    }
    tooOld.push(`${candidate.home}: ${verdict.why}`);
  }
  tried.push(
    installed.length
      ? `installed elsewhere, none is usable: ${tooOld.join(', ')}`
      : 'none is installed where SDKMAN, asdf, Homebrew or the system put Java',
  );

  return {
    found: false,
    settingIsWrong: false,
    message:
      `Claude Code Router needs Java ${MINIMUM_JAVA} or newer to run its router, and found none: ${tried.join('; ')}. ` +
      `Install Java ${MINIMUM_JAVA}+ (for example Temurin 21), set ccr.java.home to a JDK or JRE folder, or install ` +
      `the extension's build for your platform, which brings its own Java.`,
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}

async function check(
  executable: string,
  source: JavaSource,
  probe: (executable: string) => Promise<string>,
): Promise<{ runtime?: JavaRuntime; why: string }> {
  if (!(await isExecutable(executable))) {
    return { why: `${executable} does not exist or cannot be run` };
  }
  let printed: string;
  try {
    printed = await probe(executable);
  } catch (e) {
    return { why: `running ${executable} -version failed (${e instanceof Error ? e.message : String(e)})` };
  }
  const version = parseJavaVersion(printed);
  if (!version) {
    return { why: `${executable} -version printed no version the extension understands` };
  }
  if (version.major < MINIMUM_JAVA) {
    return { why: `it is Java ${version.major} (${version.version})` };
  }
  return { runtime: { executable, version: version.version, major: version.major, source }, why: '' };
}

/**
 * Reads the version from `java -version` output: `openjdk version "17.0.15" 2025-04-15`, `java version "1.8.0_392"`,
 * `openjdk version "21-ea"`. Lines such as `Picked up JAVA_TOOL_OPTIONS` may come first.
 */
export function parseJavaVersion(printed: string): { version: string; major: number } | undefined {
  const match = /version "([^"]+)"/.exec(printed);
  if (!match) {
    return undefined;
  }
  const version = match[1];
  const numbers = /^(\d+)(?:\.(\d+))?/.exec(version);
  if (!numbers) {
    return undefined;
  }
  const first = Number(numbers[1]);
  // Java 8 and older call themselves 1.x.
  const major = first === 1 && numbers[2] !== undefined ? Number(numbers[2]) : first;
  return { version, major };
}

export async function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): Promise<string | undefined> {
  const searchPath = (platform === 'win32' ? (env.Path ?? env.PATH) : env.PATH) ?? '';
  const delimiter = platform === 'win32' ? ';' : ':';
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) {
      continue;
    }
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, process.platform === 'win32' ? fsConstants.F_OK : fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `java -version` writes to stderr; a broken installation may hang, hence the timeout. */
function runJavaVersion(executable: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(executable, ['-version'], { timeout: 15_000, windowsHide: true }, (error, stdout, stderr) => {
      if (error) {
        reject(error);
      } else {
        resolve(`${stderr}\n${stdout}`);
      }
    });
  });
}
