import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UpstreamRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/**
 * An Anthropic-format upstream of the tests' own on 127.0.0.1: answers `POST /v1/messages` with a small message (as
 * SSE when asked to stream) and `GET /v1/models` with one model, and records every request it gets.
 */
export class FakeUpstream {
  readonly requests: UpstreamRequest[] = [];
  private readonly server: http.Server;

  private constructor() {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        const path = (req.url ?? '').split('?')[0];
        if (req.method === 'GET' && path.endsWith('/models')) {
          json(res, 200, { data: [{ id: 'fake-model', type: 'model', display_name: 'Fake' }], has_more: false });
        } else if (req.method === 'POST' && path.endsWith('/messages')) {
          const request = JSON.parse(body || '{}') as { model?: string; stream?: boolean };
          const message = {
            id: 'msg_fake_1',
            type: 'message',
            role: 'assistant',
            model: request.model ?? 'fake-model',
            content: [{ type: 'text', text: 'hello from the fake upstream' }],
            stop_reason: 'end_turn',
            stop_sequence: null,
            usage: { input_tokens: 12, output_tokens: 6 },
          };
          if (request.stream) {
            sse(res, message);
          } else {
            json(res, 200, message);
          }
        } else {
          json(res, 404, { type: 'error', error: { type: 'not_found_error', message: `no ${path}` } });
        }
      });
    });
  }

  static async start(): Promise<FakeUpstream> {
    const upstream = new FakeUpstream();
    await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
    return upstream;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The API root an endpoint's `baseUrl` names. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sse(res: http.ServerResponse, message: Record<string, unknown>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send('message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null } });
  send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  send('content_block_delta', {
    type: 'content_block_delta',
    index: 0,
    delta: { type: 'text_delta', text: 'hello from the fake upstream' },
  });
  send('content_block_stop', { type: 'content_block_stop', index: 0 });
  send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: 6 },
  });
  send('message_stop', { type: 'message_stop' });
  res.end();
}

/** A free TCP port on 127.0.0.1 (closed again at once; fine for tests on one machine). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Sends one request to the router the way Claude Code would, and returns status and body. */
export async function postMessage(
  routerBaseUrl: string,
  model: string,
  options: { stream?: boolean; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const body = JSON.stringify({
    model,
    max_tokens: 16,
    messages: [{ role: 'user', content: 'hi' }],
    ...(options.stream ? { stream: true } : {}),
  });
  const headers = options.headers ?? {};
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${routerBaseUrl}/v1/messages`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
        timeout: 30_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('the router did not answer within 30 s')));
    request.on('error', reject);
    request.end(body);
  });
}
