// Measures the sidecar's start as the extension runs it (RouterService: spawn `java … -jar ccr.jar lsp`, then the
// `initialize` handshake answered), with its start-up archive, without one (CCR_CDS=off), and as the very first start
// (an empty cache: no archive yet, the training begins only once the router is up), on each Java given. One start of
// each variant per round, interleaved, so a busy machine hits them alike; prints median [min–max] of the time to the
// answered handshake, the CPU the JVM used by then (all threads, /proc/PID/stat) and its RSS. Linux only.
//
//   cd vscode-extension && npx tsc -p . && node scripts/sidecar-startup.mjs --runs 7 \
//     --java /usr/lib/jvm/java-17-openjdk-amd64 --java /usr/lib/jvm/temurin-25-jdk-amd64
//
// Uses the server jar the Maven build made (server/target/ccr.jar, or CCR_JAR) and throw-away homes and caches.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, '..', 'out', 'src');
const { RouterService } = require(path.join(out, 'sidecar', 'routerService.js'));
const { findJava } = require(path.join(out, 'java', 'javaRuntime.js'));
const { startupArchive } = require(path.join(out, 'java', 'startupArchive.js'));
const { DEFAULT_VM_ARGS } = require(path.join(out, 'sidecar', 'commandLine.js'));
const { MemoryLogger } = require(path.join(out, 'log.js'));

const jar = process.env.CCR_JAR ?? path.join(here, '..', '..', 'server', 'target', 'ccr.jar');
let runs = 7;
const javaHomes = [];
for (let i = 2; i < process.argv.length; i += 2) {
  const [name, value] = [process.argv[i], process.argv[i + 1]];
  if (name === '--runs') runs = Number(value);
  else if (name === '--java') javaHomes.push(value);
  else throw new Error(`unknown option ${name}; use --runs N and --java JAVA_HOME (repeatable)`);
}

const scratch = mkdtempSync(path.join(tmpdir(), 'ccr-sidecar-startup-'));
try {
  const javas = [];
  for (const home of javaHomes.length ? javaHomes : [undefined]) {
    const found = await findJava({ env: process.env, javaHomeSetting: home, installed: async () => [] });
    if (!found.found) throw new Error(found.message);
    javas.push(found.runtime);
  }
  const variants = [];
  for (const [i, java] of javas.entries()) {
    const cache = path.join(scratch, `cache-${i}`);
    const archive = await startupArchive({
      java: java.executable,
      javaMajor: java.major,
      jar,
      jvmOptions: DEFAULT_VM_ARGS,
      env: { XDG_CACHE_HOME: cache },
    });
    const logger = new MemoryLogger();
    await archive.trainInBackground(logger);
    const kind = java.major >= 24 ? 'AOT cache' : 'class-data archive';
    console.error(`Java ${java.version}: ${logger.lines.join(' | ')}`);
    variants.push({ name: `Java ${java.major}, ${kind}`, java, env: { XDG_CACHE_HOME: cache } });
    variants.push({ name: `Java ${java.major}, none (CCR_CDS=off)`, java, env: { CCR_CDS: 'off' } });
    variants.push({ name: `Java ${java.major}, first start (no archive yet)`, java, fresh: true });
  }
  const results = new Map(variants.map((v) => [v.name, []]));
  for (let round = 1; round <= runs; round++) {
    for (const variant of variants) {
      const env = variant.fresh ? { XDG_CACHE_HOME: mkdtempSync(path.join(scratch, 'fresh-')) } : variant.env;
      const run = await startOnce(variant.java, env);
      results.get(variant.name).push(run);
      console.error(
        `round ${round} ${variant.name}: ${run.ms.toFixed(0)} ms, CPU ${run.cpuMs} ms, RSS ${run.rssMiB.toFixed(0)} MiB`,
      );
    }
  }
  console.log(
    `| sidecar start (${runs} interleaved rounds) | handshake answered (ms) | CPU by then (ms) | RSS (MiB) |`,
  );
  console.log('|---|---:|---:|---:|');
  for (const [name, list] of results) {
    console.log(
      `| ${name} | ${summary(list.map((r) => r.ms))} | ${summary(list.map((r) => r.cpuMs))} | ` +
        `${summary(list.map((r) => r.rssMiB))} |`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

async function startOnce(java, env) {
  const home = mkdtempSync(path.join(scratch, 'home-'));
  mkdirSync(path.join(home, '.claude-code-router'));
  writeFileSync(
    path.join(home, '.claude-code-router', 'config.json'),
    JSON.stringify({
      port: await freePort(),
      endpoints: [{ name: 'anthropic', type: 'anthropic', baseUrl: 'https://api.anthropic.com/v1' }],
    }),
  );
  const logger = new MemoryLogger();
  const service = new RouterService({
    jar,
    clientVersion: 'measure',
    logger,
    settings: () => ({ workspaceFolders: [], trace: false }),
    apiKey: async () => undefined,
    env: { ...process.env, CCR_CDS: '', XDG_CACHE_HOME: '', HOME: home, CCR_HOME: '', CLAUDE_CONFIG_DIR: '', ...env },
    findJava: async () => ({ found: true, runtime: java }),
  });
  try {
    const begin = process.hrtime.bigint();
    await service.start();
    const ms = Number(process.hrtime.bigint() - begin) / 1e6;
    const session = service.session;
    if (!session) throw new Error(`the router did not start:\n${logger.lines.join('\n')}`);
    const pid = session.processId;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
    const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { ms, cpuMs, rssMiB: Number(rss[1]) / 1024 };
  } finally {
    await service.stop();
    service.dispose();
  }
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return `${median.toFixed(0)} [${sorted[0].toFixed(0)}–${sorted[sorted.length - 1].toFixed(0)}]`;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
