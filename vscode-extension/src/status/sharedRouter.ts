import * as http from 'node:http';
import { Emitter, type Disposable } from '../events';

/** Another ccr that answers on the address this window's router could not bind. */
export interface SharedRouter {
  readonly baseUrl: string;
  readonly version: string;
  readonly startedAt: number;
}

/**
 * Asks `GET /health` at an address whether a ccr serves there. Only ccr answers
 * `{"status":"ok","version":…,"startedAt":…}`; anything else (another program on the port, nothing at all) is no.
 */
export function probeRouter(host: string, port: number, timeoutMs = 2_000): Promise<SharedRouter | undefined> {
  const address = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const hostPart = address.includes(':') ? `[${address}]` : address;
  const baseUrl = `http://${hostPart}:${port}`;
  return new Promise((resolve) => {
    const request = http.get(`${baseUrl}/health`, { timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > 4096) {
          response.destroy();
        }
      });
      response.on('end', () => {
        try {
          const health = JSON.parse(body) as { status?: unknown; version?: unknown; startedAt?: unknown };
          const isCcr =
            response.statusCode === 200 &&
            health.status === 'ok' &&
            typeof health.version === 'string' &&
            typeof health.startedAt === 'number';
          resolve(
            isCcr ? { baseUrl, version: health.version as string, startedAt: health.startedAt as number } : undefined,
          );
        } catch {
          resolve(undefined);
        }
      });
      response.on('error', () => resolve(undefined));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

/**
 * When this window's router cannot bind its port because another ccr serves it — a `ccr start` or service of another
 * config, or, on Windows, where each window runs a router of its own, another window's — Claude Code's requests still go
 * through that one. While this window's proxy is not serving, this watcher checks every few seconds whether another ccr
 * serves the address, so the status bar can say "served by another ccr" instead of "error", and notices when that one
 * goes away. (Windows on Linux and macOS share one router through its socket and never get here for each other.)
 */
export class SharedRouterWatcher implements Disposable {
  private readonly changed = new Emitter<SharedRouter | undefined>();
  readonly onDidChange = this.changed.event;
  private target: { host: string; port: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private latest: SharedRouter | undefined;
  private probing = 0;

  constructor(
    private readonly intervalMs = 10_000,
    private readonly probe: (host: string, port: number) => Promise<SharedRouter | undefined> = probeRouter,
  ) {}

  get current(): SharedRouter | undefined {
    return this.latest;
  }

  /** Starts watching an address (the router failed to bind it), or stops watching (undefined). */
  watch(target: { host: string; port: number } | undefined): void {
    const same = target && this.target && target.host === this.target.host && target.port === this.target.port;
    if (same) {
      return;
    }
    this.target = target;
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    if (!target) {
      this.set(undefined);
      return;
    }
    void this.check();
    this.timer = setInterval(() => void this.check(), this.intervalMs);
  }

  private async check(): Promise<void> {
    const target = this.target;
    if (!target) {
      return;
    }
    const attempt = ++this.probing;
    const found = await this.probe(target.host, target.port);
    if (attempt === this.probing && this.target === target) {
      this.set(found);
    }
  }

  private set(found: SharedRouter | undefined): void {
    const same = found?.baseUrl === this.latest?.baseUrl && found?.startedAt === this.latest?.startedAt;
    this.latest = found;
    if (!same) {
      this.changed.fire(found);
    }
  }

  dispose(): void {
    this.watch(undefined);
    this.changed.dispose();
  }
}
