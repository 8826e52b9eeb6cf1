import type { FromWebview, ToWebview } from '../panel/messages';

/** The extension's answer to a request of the page. */
export type Reply = Extract<ToWebview, { type: 'reply' }>;

/** What `acquireVsCodeApi()` gives the page; only posting is used (nothing is kept with setState). */
export interface VsCodeApi {
  postMessage(message: FromWebview): void;
}

/**
 * Requests from the page to the extension and their replies, matched by id. An id can be taken before the request
 * is sent, so that progress the extension reports under it finds its place on the page.
 */
export class PanelRpc {
  private lastId = 0;
  private readonly pending = new Map<number, (reply: Reply) => void>();

  constructor(private readonly vscode: VsCodeApi) {}

  nextId(): number {
    return ++this.lastId;
  }

  /** Sends a request and resolves with its reply. */
  request(message: FromWebview & { id: number }): Promise<Reply> {
    return new Promise((resolve) => {
      this.pending.set(message.id, resolve);
      this.vscode.postMessage(message);
    });
  }

  /** Sends a message that gets no reply (`ready`, `command`). */
  post(message: FromWebview): void {
    this.vscode.postMessage(message);
  }

  /** Hands a reply to the request waiting for it. */
  replied(reply: Reply): void {
    this.pending.get(reply.id)?.(reply);
    this.pending.delete(reply.id);
  }
}
