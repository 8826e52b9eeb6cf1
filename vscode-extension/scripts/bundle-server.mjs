// Copies the server's shaded jar into the extension before `vsce package`, so the VSIX carries the router. The Maven
// reactor builds server/ first; run `./mvnw -pl server -am package` when packaging by hand.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const jar = process.env.CCR_JAR ?? resolve(here, '..', '..', 'server', 'target', 'ccr.jar');
if (!existsSync(jar)) {
  console.error(`bundle-server: ${jar} does not exist; build the server first: ./mvnw -pl server -am package`);
  process.exit(1);
}
const target = join(here, '..', 'server', 'ccr.jar');
mkdirSync(dirname(target), { recursive: true });
copyFileSync(jar, target);
console.log(`bundle-server: ${jar} -> ${target}`);
