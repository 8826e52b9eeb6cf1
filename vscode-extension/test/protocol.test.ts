/**
 * The TypeScript mirror of the protocol against the golden fixtures the Java side is tested with: the same methods in
 * the same directions, every message conforming to the declared shapes (no unknown field, no missing required one, no
 * unknown enum constant), every declared field exercised by some fixture, and the connection putting exactly the
 * fixture's JSON on the wire and reading the fixture's answers back.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { StreamMessageReader, StreamMessageWriter, type Message } from 'vscode-jsonrpc/node';
import { MemoryLogger } from '../src/log';
import { ErrorCodes, ErrorDataShapes, Methods, type MethodSpec } from '../src/protocol/protocol';
import { fieldNamesOf, problemsOf, type Shape } from '../src/protocol/shapes';
import { CcrConnection, CcrRpcError, type EditorSide } from '../src/rpc/ccrConnection';
import { loadFixtures, type Fixture } from './support/fixtures';

const fixtures = loadFixtures();
const specs = Object.values(Methods) as MethodSpec[];

function specOf(fixture: Fixture): MethodSpec {
  const spec = specs.find((s) => s.method === fixture.method);
  assert.ok(spec, `${fixture.file}: the mirror has no method ${fixture.method}`);
  return spec;
}

describe('protocol mirror against the golden fixtures', () => {
  it('has a fixture for every method and a method for every fixture, in the same direction and kind', () => {
    assert.deepEqual(
      specs.map((s) => s.method).sort(),
      fixtures.map((f) => f.method).sort(),
      'the methods of protocol.ts and the fixture files differ',
    );
    for (const fixture of fixtures) {
      const spec = specOf(fixture);
      assert.equal(spec.direction, fixture.direction, `${fixture.method}: direction`);
      assert.equal(spec.kind, fixture.kind, `${fixture.method}: kind`);
      assert.equal(fixture.file, `${fixture.method.replace('/', '.')}.json`);
    }
  });

  it('reads every fixture message with the declared shapes', () => {
    const problems: string[] = [];
    for (const fixture of fixtures) {
      const spec = specOf(fixture);
      for (const example of fixture.examples) {
        const where = `${fixture.file} "${example.name}"`;
        problems.push(...paramsProblems(spec, example.message.params).map((p) => `${where} params ${p}`));
        const response = example.response;
        if (spec.kind === 'notification') {
          assert.equal(response, undefined, `${where}: a notification has no response`);
          continue;
        }
        assert.ok(response, `${where}: a request fixture needs a response`);
        if (response.error) {
          assert.ok(
            (Object.values(ErrorCodes) as number[]).includes(response.error.code),
            `${where}: unknown error code ${response.error.code}`,
          );
          const dataShape = ErrorDataShapes[response.error.code];
          if (response.error.data !== undefined) {
            assert.ok(dataShape, `${where}: error ${response.error.code} is not declared to carry data`);
            problems.push(...problemsOf(dataShape, response.error.data).map((p) => `${where} error data ${p}`));
          }
        } else if (spec.result === null) {
          assert.equal(response.result, null, `${where}: the result must be null`);
        } else {
          problems.push(...problemsOf(spec.result as Shape, response.result).map((p) => `${where} result ${p}`));
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('finds every declared field in some fixture, so each is checked against the Java side', () => {
    const declared = new Set<string>();
    const seen = new Set<string>();
    const shapes: Shape[] = [];
    for (const spec of specs) {
      if (spec.params) shapes.push(spec.params);
      if (spec.result) shapes.push(spec.result);
    }
    shapes.push(...(Object.values(ErrorDataShapes) as Shape[]));
    for (const shape of shapes) {
      fieldNamesOf(shape, declared);
    }
    for (const fixture of fixtures) {
      const spec = specOf(fixture);
      for (const example of fixture.examples) {
        if (spec.params) problemsOf(spec.params, example.message.params, '$', seen);
        const response = example.response;
        if (response?.error?.data !== undefined) {
          problemsOf(ErrorDataShapes[response.error.code] as Shape, response.error.data, '$', seen);
        } else if (spec.result && response?.result !== undefined) {
          problemsOf(spec.result, response.result, '$', seen);
        }
      }
    }
    const missing = [...declared].filter((field) => !seen.has(field)).sort();
    assert.deepEqual(missing, [], 'declared fields that no fixture shows');
  });

  it('refuses what the Java side would refuse: unknown fields, missing required ones, unknown enum constants', () => {
    const status = Methods.statusChanged.params as Shape;
    const good = fixtures.find((f) => f.method === 'status/statusChanged')!.examples[0].message.params as {
      status: Record<string, unknown>;
    };
    assert.deepEqual(problemsOf(status, good), []);
    assert.match(problemsOf(status, { status: { ...good.status, extra: 1 } }).join(), /ServerStatus has no such field/);
    const { proxy: _proxy, ...withoutProxy } = good.status;
    assert.match(problemsOf(status, { status: withoutProxy }).join(), /proxy: required field/);
    assert.match(
      problemsOf(status, { status: { ...good.status, proxy: 'RUNING' } }).join(),
      /expected one of ProxyState/,
    );
  });
});

describe('protocol on the wire, through CcrConnection', () => {
  it('sends each request and notification to the server exactly as the fixture writes it, and reads the answers', async () => {
    for (const fixture of fixtures.filter((f) => f.direction === 'toServer')) {
      const spec = specOf(fixture);
      for (const example of fixture.examples) {
        const wire = new WirePeer();
        try {
          const where = `${fixture.file} "${example.name}"`;
          const args = example.message.params === undefined ? [] : [example.message.params];
          if (spec.kind === 'notification') {
            await (wire.connection.notify as (s: MethodSpec, ...p: unknown[]) => Promise<void>)(spec, ...args);
            const sent = await wire.next();
            assert.deepEqual(sent, example.message, where);
            continue;
          }
          const answer = (wire.connection.request as (s: MethodSpec, ...p: unknown[]) => Promise<unknown>)(
            spec,
            ...args,
          );
          const sent = (await wire.next()) as { id: number };
          assert.deepEqual({ ...sent, id: example.message.id }, example.message, `${where}: request on the wire`);
          wire.send({ ...example.response!, id: sent.id });
          if (example.response!.error) {
            await assert.rejects(answer, (e: unknown) => {
              assert.ok(e instanceof CcrRpcError);
              assert.equal(e.code, example.response!.error!.code);
              assert.equal(e.message, example.response!.error!.message);
              assert.deepEqual(e.data, example.response!.error!.data);
              return true;
            });
          } else {
            assert.deepEqual(await answer, example.response!.result, `${where}: result`);
          }
        } finally {
          wire.dispose();
        }
      }
    }
  });

  it('hands each server message to the editor side as the fixture writes it, and answers getApiKey exactly', async () => {
    for (const fixture of fixtures.filter((f) => f.direction === 'toEditor')) {
      for (const example of fixture.examples) {
        const received: { method: string; params: unknown }[] = [];
        const editor = recordingEditor(received, example.response?.result as { apiKey?: string } | undefined);
        const wire = new WirePeer(editor);
        try {
          wire.send(example.message);
          if (example.response) {
            const answer = await wire.next();
            assert.deepEqual(answer, example.response, `${fixture.file} "${example.name}": answer on the wire`);
          } else {
            await until(() => received.length > 0);
          }
          assert.deepEqual(received, [{ method: example.message.method, params: example.message.params }]);
        } finally {
          wire.dispose();
        }
      }
    }
  });
});

function paramsProblems(spec: MethodSpec, params: unknown): string[] {
  if (!spec.params) {
    return params === undefined ? [] : ['present, but the method takes none'];
  }
  return problemsOf(spec.params, params);
}

function recordingEditor(
  received: { method: string; params: unknown }[],
  apiKeyAnswer?: { apiKey?: string },
): EditorSide {
  return {
    statusChanged: (params) => received.push({ method: 'status/statusChanged', params }),
    configChanged: (params) => received.push({ method: 'config/configChanged', params }),
    endpointTestProgress: (params) => received.push({ method: 'endpoints/testProgress', params }),
    requestsCompleted: (params) => received.push({ method: 'stats/requestsCompleted', params }),
    getApiKey: async (params) => {
      received.push({ method: 'credentials/getApiKey', params });
      return apiKeyAnswer ?? {};
    },
    routerExiting: (params) => received.push({ method: 'router/exiting', params }),
  };
}

/** The server's end of a connection: raw JSON-RPC messages in and out, framed as LSP4J frames them. */
class WirePeer {
  private readonly toEditor = new PassThrough();
  private readonly toServer = new PassThrough();
  private readonly writer = new StreamMessageWriter(this.toEditor);
  private readonly reader = new StreamMessageReader(this.toServer);
  private readonly received: Message[] = [];
  readonly connection: CcrConnection;

  constructor(editor: EditorSide = recordingEditor([])) {
    this.connection = new CcrConnection(this.toEditor, this.toServer, editor, new MemoryLogger());
    this.reader.listen((message) => this.received.push(message));
  }

  send(message: unknown): void {
    void this.writer.write(message as Message);
  }

  async next(): Promise<unknown> {
    await until(() => this.received.length > 0);
    return this.received.shift();
  }

  dispose(): void {
    this.connection.dispose();
    this.reader.dispose();
    this.writer.dispose();
  }
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('timed out waiting');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
