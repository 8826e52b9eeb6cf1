import type { MethodSpec, ServerStatus } from '../../src/protocol/protocol';
import type { CcrConnection } from '../../src/rpc/ccrConnection';
import type { RouterSession } from '../../src/sidecar/routerService';

type Handler = (params: unknown) => unknown;

/** A connection that records what is sent and answers from scripted handlers, for tests of the code above the RPC. */
export class FakeConnection {
  readonly calls: { method: string; params: unknown }[] = [];
  private readonly handlers = new Map<string, Handler>();
  isClosed = false;

  on(method: string, handler: Handler): this {
    this.handlers.set(method, handler);
    return this;
  }

  async request(spec: MethodSpec, params?: unknown): Promise<unknown> {
    this.calls.push({ method: spec.method, params });
    const handler = this.handlers.get(spec.method);
    if (!handler) {
      throw new Error(`the fake connection has no answer for ${spec.method}`);
    }
    return handler(params);
  }

  async notify(spec: MethodSpec, params?: unknown): Promise<void> {
    this.calls.push({ method: spec.method, params });
  }

  methods(): string[] {
    return this.calls.map((c) => c.method);
  }
}

export const RUNNING_STATUS: ServerStatus = {
  proxy: 'RUNNING',
  host: '127.0.0.1',
  port: 3456,
  baseUrl: 'http://127.0.0.1:3456',
  routing: 'OFF',
  defaultEndpoint: 'glm',
  endpoints: [
    { name: 'glm', type: 'CUSTOM', baseUrl: 'https://open.bigmodel.cn/api/paas/v4', health: 'HEALTHY' },
    {
      name: 'anthropic',
      type: 'ANTHROPIC',
      baseUrl: 'https://api.anthropic.com/v1',
      health: 'FAILING',
      lastError: 'HTTP 529',
    },
  ],
  configProblems: [],
  configFile: '/home/dev/.claude-code-router/config.json',
  editors: 1,
  lifetime: 'SHARED',
};

export function fakeSession(
  connection: FakeConnection,
  status: Partial<ServerStatus> = {},
  configSections: string[] = ['endpoints', 'defaultEndpoint', 'cache'],
): RouterSession {
  return {
    connection: connection as unknown as CcrConnection,
    serverVersion: '0.1.0',
    processId: 4242,
    capabilities: { configSections, costs: false },
    java: { executable: '/usr/bin/java', version: '17.0.15', major: 17, source: 'PATH' },
    status: { ...RUNNING_STATUS, ...status },
    transport: 'stdio',
  };
}

/** A `Memento`-like store in memory. */
export class MemoryState {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
}
