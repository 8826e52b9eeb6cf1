// Packages the extension twice, as vscode-java does with its embedded JRE:
//   dist/ccr-vscode.vsix               universal: the router's jar; runs on a Java 17+ found on the machine
//   dist/ccr-vscode-<target>.vsix      for the platform this build runs on (linux-x64, darwin-arm64, win32-x64…):
//                                      the same plus runtime/, the Java runtime the build made for the router
//                                      (server/target/runtime), which the extension then prefers
// The Maven reactor builds server/ first; by hand: ./mvnw -pl server -am package, then npm run package.
// CCR_JAR and CCR_RUNTIME point elsewhere; without a runtime (built with -Dccr.dist.skip) only the universal VSIX is
// made.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const extensionDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const serverTarget = resolve(extensionDir, '..', 'server', 'target');
const jar = process.env.CCR_JAR ?? join(serverTarget, 'ccr.jar');
const runtime = process.env.CCR_RUNTIME ?? join(serverTarget, 'runtime');
const bundledRuntime = join(extensionDir, 'runtime');

if (!existsSync(jar)) {
  console.error(`package: ${jar} does not exist; build the server first: ./mvnw -pl server -am package`);
  process.exit(1);
}
mkdirSync(join(extensionDir, 'server'), { recursive: true });
copyFileSync(jar, join(extensionDir, 'server', 'ccr.jar'));
console.log(`package: ${jar} -> server/ccr.jar`);

rmSync(bundledRuntime, { recursive: true, force: true });
vsce([], 'dist/ccr-vscode.vsix');

if (!existsSync(join(runtime, 'bin'))) {
  console.log(`package: no Java runtime in ${runtime}: no platform VSIX`);
  process.exit(0);
}
const target = vscodeTarget();
if (!target) {
  console.log(`package: VS Code has no platform VSIX for ${process.platform}-${process.arch}: no platform VSIX`);
  process.exit(0);
}
// cpSync keeps the files' modes: bin/java and lib/jspawnhelper stay executable, and vsce records the modes.
cpSync(runtime, bundledRuntime, { recursive: true, filter: (source) => !source.endsWith('.ccr-runtime-stamp') });
try {
  vsce(['--target', target], `dist/ccr-vscode-${target}.vsix`);
} finally {
  rmSync(bundledRuntime, { recursive: true, force: true });
}

function vsce(args, out) {
  execFileSync(
    process.platform === 'win32' ? 'npx.cmd' : 'npx',
    ['--no-install', 'vsce', 'package', '--no-dependencies', ...args, '--out', out],
    { cwd: extensionDir, stdio: 'inherit', shell: process.platform === 'win32' },
  );
}

/** VS Code's name for this platform, which is the runtime's: the build made it with the JDK it runs on. */
function vscodeTarget() {
  const arch = { x64: 'x64', arm64: 'arm64', arm: 'armhf' }[process.arch];
  if (!arch) return undefined;
  switch (process.platform) {
    case 'win32':
      return `win32-${arch}`;
    case 'darwin':
      return `darwin-${arch}`;
    case 'linux': {
      // A JDK built for musl (Alpine) runs only there, and VS Code calls that platform alpine.
      const musl = !process.report?.getReport().header.glibcVersionRuntime;
      return `${musl ? 'alpine' : 'linux'}-${arch}`;
    }
    default:
      return undefined;
  }
}
