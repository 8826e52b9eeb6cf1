/** A listener registration that can be undone; shaped like VS Code's `Disposable` so both mix freely. */
export interface Disposable {
  dispose(): void;
}

/** A minimal event emitter for modules that do not import `vscode` (VS Code's `EventEmitter` lives there). */
export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  /** Subscribes; the returned disposable unsubscribes. */
  readonly event = (listener: (value: T) => void): Disposable => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (e) {
        // One broken listener must not keep the others from hearing about the change.
        console.error('listener failed', e);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
