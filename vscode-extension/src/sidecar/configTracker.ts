import { Emitter, type Disposable } from '../events';
import type { Logger } from '../log';
import { Methods, type ConfigResult } from '../protocol/protocol';
import type { RouterService, RouterSession } from './routerService';

/**
 * The config in force, as the server last showed it: fetched once per sidecar (`config/get`), then kept current by
 * `config/configChanged`. Commands and the settings panel read it instead of asking each time.
 */
export class ConfigTracker implements Disposable {
  private latest: ConfigResult | undefined;
  private session: RouterSession | undefined;
  private readonly changed = new Emitter<ConfigResult | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: Disposable[];

  constructor(router: RouterService, logger: Logger) {
    this.subscriptions = [
      router.onDidChangeConfig((config) => this.set(config)),
      router.onDidChangeState((state) => {
        const session = state.kind === 'running' ? state.session : undefined;
        if (session?.connection === this.session?.connection) {
          return;
        }
        this.session = session;
        if (!session) {
          return; // keep the last config: still what the file says, and the panel can show it
        }
        session.connection.request(Methods.getConfig).then(
          (config) => {
            if (this.session === session) {
              this.set(config);
            }
          },
          (e: unknown) => logger.warn(`cannot read the config: ${e instanceof Error ? e.message : String(e)}`),
        );
      }),
    ];
  }

  get current(): ConfigResult | undefined {
    return this.latest;
  }

  private set(config: ConfigResult): void {
    this.latest = config;
    this.changed.fire(config);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}
