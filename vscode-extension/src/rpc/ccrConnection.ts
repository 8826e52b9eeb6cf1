import type { Readable, Writable } from 'node:stream';
import {
  createMessageConnection,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Logger } from '../log';
import {
  ErrorCodes,
  Methods,
  errorCodeName,
  type ConfigChangedParams,
  type ConfigProblemInfo,
  type EndpointTestProgressParams,
  type GetApiKeyParams,
  type GetApiKeyResult,
  type MethodSpec,
  type RequestsCompletedParams,
  type RouterExitingParams,
  type StatusChangedParams,
} from '../protocol/protocol';

/** What the server calls on the editor. */
export interface EditorSide {
  statusChanged(params: StatusChangedParams): void;
  configChanged(params: ConfigChangedParams): void;
  endpointTestProgress(params: EndpointTestProgressParams): void;
  requestsCompleted(params: RequestsCompletedParams): void;
  /** Answers from the secret storage; the answer never passes through a log. */
  getApiKey(params: GetApiKeyParams): Promise<GetApiKeyResult>;
  /** The router is about to close the connection on purpose (since 1.1). */
  routerExiting(params: RouterExitingParams): void;
}

/** A request the server answered with an error; the message is written for the user. */
export class CcrRpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
    readonly data: unknown,
  ) {
    super(message);
    this.name = 'CcrRpcError';
  }

  get codeName(): string {
    return errorCodeName(this.code) ?? String(this.code);
  }

  /** The located problems of CONFIG_INVALID and CONFIG_UNREADABLE errors; empty for others. */
  get problems(): ConfigProblemInfo[] {
    const isConfigError = this.code === ErrorCodes.CONFIG_INVALID || this.code === ErrorCodes.CONFIG_UNREADABLE;
    const problems = isConfigError ? (this.data as { problems?: unknown } | undefined)?.problems : undefined;
    return Array.isArray(problems) ? (problems as ConfigProblemInfo[]) : [];
  }
}

/** The connection closed before the answer came: the sidecar exited or its pipes broke. */
export class ConnectionClosedError extends Error {
  constructor(readonly method: string) {
    super(`the router stopped before answering ${method}`);
    this.name = 'ConnectionClosedError';
  }
}

type ParamsTuple<P> = [P] extends [void] ? [] : [params: P];

/**
 * The editor's end of the protocol over a pair of streams (the sidecar's stdout and stdin, or a socket to a shared
 * router): typed requests and notifications from the method table in `protocol.ts`, the server's calls dispatched to an
 * {@link EditorSide}. Request and answer bodies are never logged, since some carry API keys; with `trace` the method
 * names and timings are.
 */
export class CcrConnection {
  private readonly connection: MessageConnection;
  private closedFlag = false;
  /** What rejects each request still waiting for its answer when the connection closes; released with the answer. */
  private readonly waiting = new Set<() => void>();
  /** Where method names and timings go when tracing; undefined when not. */
  private readonly trace: Logger | undefined;
  /** Resolves once the connection is closed, for whatever reason. */
  readonly closed: Promise<void>;

  constructor(input: Readable, output: Writable, editor: EditorSide, logger: Logger, trace = false) {
    this.connection = createMessageConnection(new StreamMessageReader(input), new StreamMessageWriter(output), {
      error: (message) => logger.error(`protocol: ${message}`),
      warn: (message) => logger.warn(`protocol: ${message}`),
      info: () => undefined,
      log: () => undefined,
    });
    this.trace = trace ? logger : undefined;
    this.closed = new Promise((resolve) => {
      this.connection.onClose(() => {
        this.markClosed();
        resolve();
      });
    });
    this.connection.onNotification(Methods.statusChanged.method, (p: StatusChangedParams) => editor.statusChanged(p));
    this.connection.onNotification(Methods.configChanged.method, (p: ConfigChangedParams) => editor.configChanged(p));
    this.connection.onNotification(Methods.endpointTestProgress.method, (p: EndpointTestProgressParams) =>
      editor.endpointTestProgress(p),
    );
    this.connection.onNotification(Methods.requestsCompleted.method, (p: RequestsCompletedParams) =>
      editor.requestsCompleted(p),
    );
    this.connection.onNotification(Methods.routerExiting.method, (p: RouterExitingParams) => editor.routerExiting(p));
    this.connection.onRequest(Methods.getApiKey.method, async (p: GetApiKeyParams) => {
      try {
        return await editor.getApiKey(p);
      } catch (e) {
        // The server treats an error as "no answer" and asks again next time; say why without any detail of the key.
        logger.warn(`cannot read the API key of endpoint "${p.endpoint}" from the secret storage: ${String(e)}`);
        return new ResponseError(ErrorCodes.INTERNAL_ERROR, 'the editor could not read its secret storage');
      }
    });
    // A newer server may send notifications this extension does not know yet: ignore them.
    this.connection.onUnhandledNotification(() => undefined);
    this.connection.listen();
  }

  get isClosed(): boolean {
    return this.closedFlag;
  }

  /** Requests sent and not answered yet. */
  get pendingRequests(): number {
    return this.waiting.size;
  }

  /** Sends a request of the protocol and waits for its answer; a server error rejects with a {@link CcrRpcError}. */
  async request<P, R>(spec: MethodSpec<P, R>, ...params: ParamsTuple<P>): Promise<R> {
    if (spec.kind !== 'request' || spec.direction !== 'toServer') {
      throw new Error(`${spec.method} is not a request to the server`);
    }
    if (this.closedFlag) {
      throw new ConnectionClosedError(spec.method);
    }
    const started = Date.now();
    this.trace?.info(`→ ${spec.method}`);
    // Rejected if the connection closes first. Registered per request and released with its answer: a handler
    // attached to `closed` instead would stay, one per request ever made, for as long as the connection lives.
    let release = (): unknown => undefined;
    const closing = new Promise<never>((_, reject) => {
      const rejectIt = () => reject(new ConnectionClosedError(spec.method));
      this.waiting.add(rejectIt);
      release = () => this.waiting.delete(rejectIt);
    });
    try {
      const sent =
        params.length === 0
          ? this.connection.sendRequest<R>(spec.method)
          : this.connection.sendRequest<R>(spec.method, params[0]);
      const result = await Promise.race([sent, closing]);
      this.trace?.info(`← ${spec.method} in ${Date.now() - started} ms`);
      return result;
    } catch (e) {
      if (e instanceof ResponseError) {
        this.trace?.info(`← ${spec.method} failed: ${errorCodeName(e.code) ?? e.code}`);
        throw new CcrRpcError(spec.method, e.code, e.message, e.data);
      }
      if (this.closedFlag) {
        throw new ConnectionClosedError(spec.method);
      }
      throw e;
    } finally {
      release();
    }
  }

  /** Sends a notification of the protocol; nothing comes back. */
  async notify<P>(spec: MethodSpec<P, void>, ...params: ParamsTuple<P>): Promise<void> {
    if (spec.kind !== 'notification' || spec.direction !== 'toServer') {
      throw new Error(`${spec.method} is not a notification to the server`);
    }
    if (this.closedFlag) {
      return;
    }
    this.trace?.info(`→ ${spec.method}`);
    await (params.length === 0
      ? this.connection.sendNotification(spec.method)
      : this.connection.sendNotification(spec.method, params[0]));
  }

  dispose(): void {
    this.markClosed();
    this.connection.dispose();
  }

  private markClosed(): void {
    this.closedFlag = true;
    for (const reject of this.waiting) {
      reject();
    }
    this.waiting.clear();
  }
}
