/**
 * What the connection keeps per request: nothing, once the request is answered. A long-lived window sends a request
 * every few seconds for hours (stats, status, config); what each leaves behind adds up for as long as the connection
 * lives.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { MemoryLogger } from '../src/log';
import { Methods } from '../src/protocol/protocol';
import { CcrConnection, ConnectionClosedError, type EditorSide } from '../src/rpc/ccrConnection';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const editor: EditorSide = {
  statusChanged: () => undefined,
  configChanged: () => undefined,
  endpointTestProgress: () => undefined,
  requestsCompleted: () => undefined,
  getApiKey: async () => ({}),
  routerExiting: () => undefined,
};

/** A server that answers `config/validate` at once; `hang` leaves requests unanswered. */
function connected(hang = false) {
  const toEditor = new PassThrough();
  const toServer = new PassThrough();
  const server = createMessageConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toEditor));
  server.onRequest(Methods.validateConfig.method, () =>
    hang ? new Promise(() => undefined) : { valid: true, problems: [] },
  );
  server.listen();
  const connection = new CcrConnection(toEditor, toServer, editor, new MemoryLogger());
  return {
    connection,
    close: () => {
      server.dispose();
      toEditor.end();
      toServer.end();
    },
  };
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('CcrConnection', () => {
  it('keeps nothing for a request once it is answered', async () => {
    const { connection, close } = connected();
    try {
      const ask = () => connection.request(Methods.validateConfig, { text: '{}' });
      for (let i = 0; i < 2_000; i++) await ask(); // warm up, so only growth is measured
      const before = heapAfterGc();
      const count = 20_000;
      for (let i = 0; i < count; i++) await ask();
      const grown = heapAfterGc() - before;
      assert.equal(connection.pendingRequests, 0);
      // Each request used to leave a handler and a promise on the connection's close, over 100 bytes apiece: 2 MB here.
      // The bound leaves room for the few hundred KB the heap moves by on its own (JIT, caches) on a busy machine.
      assert.ok(grown < count * 40, `the heap grew by ${grown} bytes over ${count} answered requests`);
    } finally {
      connection.dispose();
      close();
    }
  });

  it('still fails the requests waiting for an answer when the connection closes', async () => {
    const { connection, close } = connected(true);
    const waiting = [1, 2, 3].map(() => connection.request(Methods.validateConfig, { text: '{}' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(connection.pendingRequests, 3);
    close();
    for (const request of waiting) {
      await assert.rejects(request, ConnectionClosedError);
    }
    assert.equal(connection.pendingRequests, 0);
    connection.dispose();
  });
});
