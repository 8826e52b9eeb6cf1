import { Emitter, type Disposable } from '../events';

/**
 * The part of VS Code's `SecretStorage` this module needs (the OS keychain in desktop VS Code); `SecretStorage` itself
 * fits. Its change event also reports changes made by other windows.
 */
export interface SecretStore {
  keys(): PromiseLike<string[]>;
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  readonly onDidChange?: (listener: (event: { readonly key: string }) => void) => Disposable;
}

const PREFIX = 'ccr.apiKey.';

/**
 * Endpoint API keys, kept in the editor's secret storage and nowhere else: not in the config file, not in settings, not
 * in a log, not in the settings panel's page or state. The sidecar asks for a key when a request needs it
 * (`credentials/getApiKey`); after a change it is told to forget what it remembered (`credentials/apiKeyChanged`).
 */
export class ApiKeyStore implements Disposable {
  private readonly changed = new Emitter<string>();
  /** Fires with the endpoint name after its key was set or cleared, in this window or another. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: Disposable | undefined;

  constructor(private readonly secrets: SecretStore) {
    this.subscription = secrets.onDidChange?.((event) => {
      if (event.key.startsWith(PREFIX)) {
        this.changed.fire(event.key.slice(PREFIX.length));
      }
    });
  }

  async get(endpoint: string): Promise<string | undefined> {
    const key = await this.secrets.get(PREFIX + endpoint);
    return key && key.trim() ? key : undefined;
  }

  async has(endpoint: string): Promise<boolean> {
    return (await this.get(endpoint)) !== undefined;
  }

  /** The endpoints that have a key here. */
  async endpointsWithKeys(): Promise<Set<string>> {
    const keys = await this.secrets.keys();
    return new Set(keys.filter((key) => key.startsWith(PREFIX)).map((key) => key.slice(PREFIX.length)));
  }

  async set(endpoint: string, apiKey: string): Promise<void> {
    const trimmed = apiKey.trim();
    if (!trimmed) {
      throw new Error('an API key cannot be empty; clear it instead');
    }
    await this.secrets.store(PREFIX + endpoint, trimmed);
    this.announceUnlessStoreDoes(endpoint);
  }

  async clear(endpoint: string): Promise<void> {
    await this.secrets.delete(PREFIX + endpoint);
    this.announceUnlessStoreDoes(endpoint);
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }

  private announceUnlessStoreDoes(endpoint: string): void {
    if (!this.subscription) {
      this.changed.fire(endpoint);
    }
  }
}
