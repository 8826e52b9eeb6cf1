import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root, found from wherever the compiled test runs (out/test/…). */
export const repoRoot: string = (() => {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'protocol', 'src', 'test', 'resources', 'fixtures'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`cannot find the repository root above ${__dirname}`);
    }
    dir = parent;
  }
  return dir;
})();

export const fixturesDir = path.join(repoRoot, 'protocol', 'src', 'test', 'resources', 'fixtures');

/** The shaded server jar the Maven build makes before this module's tests run. */
export const serverJar = process.env.CCR_JAR ?? path.join(repoRoot, 'server', 'target', 'ccr.jar');
