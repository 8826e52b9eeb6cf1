/**
 * A stand-in for `ccr lsp` in the launcher tests: speaks the protocol's lifecycle over stdio and misbehaves on demand.
 * Usage: node fakeSidecar.js <mode> [<state dir>]. Every start appends a line to <state dir>/starts, and the messages it
 * receives go to <state dir>/received.
 *
 * Modes: serve · crash (exits 1 at once) · crash-after-init · oom · incompatible · silent (never answers) ·
 * stubborn (ignores stdin EOF and SIGTERM) · crash-twice-then-serve · stopped-elsewhere (another window stops the
 * shared router after the handshake) · replaced-once (a newer window replaces it, the next start serves).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const mode = process.argv[2];
const stateDir = process.argv[3];

function record(file: string, line: string): void {
  if (stateDir) {
    appendFileSync(path.join(stateDir, file), `${line}\n`);
  }
}

function starts(): number {
  try {
    return readFileSync(path.join(stateDir, 'starts'), 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

record('starts', String(process.pid));
process.stderr.write(`12:00:00.000 INFO  FakeSidecar - fake sidecar ${process.pid} in mode ${mode}\n`);

const status = {
  proxy: 'RUNNING',
  host: '127.0.0.1',
  port: 3456,
  baseUrl: 'http://127.0.0.1:3456',
  routing: 'OFF',
  defaultEndpoint: 'anthropic',
  endpoints: [{ name: 'anthropic', type: 'ANTHROPIC', baseUrl: 'https://api.anthropic.com/v1', health: 'UNKNOWN' }],
  configProblems: [],
  configFile: '/tmp/ccr/config.json',
  editors: 1,
  lifetime: 'SHARED',
};

let effective = mode;
if (mode === 'crash-twice-then-serve') {
  effective = starts() <= 2 ? 'crash' : 'serve';
}
if (mode === 'replaced-once') {
  effective = starts() <= 1 ? 'replaced' : 'serve';
}

if (effective === 'crash') {
  process.stderr.write('Exception in thread "main" java.lang.IllegalStateException: fake crash\n');
  process.exit(1);
}
if (effective === 'oom') {
  process.stderr.write('Terminating due to java.lang.OutOfMemoryError: Java heap space\n');
  process.exit(3);
}
if (effective === 'stubborn') {
  process.on('SIGTERM', () => record('received', 'SIGTERM'));
}

const connection = createMessageConnection(
  new StreamMessageReader(process.stdin),
  new StreamMessageWriter(process.stdout),
);
connection.onRequest('initialize', (params: unknown) => {
  record('received', `initialize ${JSON.stringify(params)}`);
  if (effective === 'silent') {
    return new Promise(() => undefined);
  }
  if (effective === 'incompatible') {
    return new ResponseError(-32010, 'this ccr server speaks protocol 2.0 and cannot talk to 1.0', {
      serverProtocolVersion: '2.0',
      clientProtocolVersion: '1.0',
    });
  }
  if (effective === 'crash-after-init') {
    setTimeout(() => process.exit(2), 100);
  }
  if (effective === 'stopped-elsewhere' || effective === 'replaced') {
    setTimeout(() => {
      const reason = effective === 'replaced' ? 'REPLACED' : 'STOP_REQUESTED';
      void connection
        .sendNotification('router/exiting', { reason, message: 'the router was stopped from ccr-vscode 0.1.0' })
        .then(() => setTimeout(() => process.exit(0), 50));
    }, 150);
  }
  setTimeout(
    () => void connection.sendNotification('status/statusChanged', { status: { ...status, routing: 'ON' } }),
    50,
  );
  return {
    protocolVersion: '1.0',
    serverVersion: '9.9.9-fake',
    processId: process.pid,
    capabilities: { configSections: ['endpoints'], costs: false },
    status,
  };
});
connection.onRequest('shutdown', () => {
  record('received', 'shutdown');
  return null;
});
connection.onRequest('router/stop', (params: unknown) => {
  record('received', `router/stop ${JSON.stringify(params)}`);
  setTimeout(() => process.exit(0), 50);
  return null;
});
connection.onNotification('exit', () => {
  record('received', 'exit');
  process.exit(0);
});
connection.listen();
process.stdin.on('end', () => {
  record('received', 'stdin closed');
  if (effective !== 'stubborn') {
    process.exit(0);
  }
});
if (effective === 'stubborn') {
  setInterval(() => undefined, 1_000);
}
