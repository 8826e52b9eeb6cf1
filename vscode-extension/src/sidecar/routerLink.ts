import { connect, type Socket } from 'node:net';
import type { Logger } from '../log';
import { CcrConnection, type EditorSide } from '../rpc/ccrConnection';
import type { SidecarExit, SidecarProcess } from './sidecarProcess';

/** How a window reaches its router: the process it started (stdio), or a router it attached to (socket). */
export type Transport = 'stdio' | 'socket';

/** One connection of this window to a router, whatever carries it. */
export interface RouterLink {
  readonly transport: Transport;
  readonly connection: CcrConnection;
  /** The router process this window started; undefined when attached to another's. */
  readonly process?: SidecarProcess;
  /** Resolves when the link ends: the process exited (with how), or the socket closed (no exit to tell). */
  readonly ended: Promise<SidecarExit | undefined>;
  /** Ends this window's side of the link; a shared router goes on without it. */
  close(): void;
}

/** A link over the sidecar's standard input and output. */
export function stdioLink(process: SidecarProcess, editor: EditorSide, logger: Logger, trace: boolean): RouterLink {
  const connection = new CcrConnection(process.output, process.input, editor, logger, trace);
  return {
    transport: 'stdio',
    connection,
    process,
    ended: process.exited,
    close: () => {
      connection.dispose();
      process.release();
    },
  };
}

/**
 * Connects to the socket a shared router listens on. Resolves undefined when nothing listens there (no file, a file
 * left by a router that died, a router that is just starting): then this window starts one, or tries again.
 */
export function socketLink(
  path: string,
  editor: EditorSide,
  logger: Logger,
  trace: boolean,
  timeoutMs = 2_000,
): Promise<RouterLink | undefined> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ path });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, timeoutMs);
    socket.once('error', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      // Errors after connecting (the router died mid-write) end the link like a close does.
      socket.on('error', () => undefined);
      const ended = new Promise<undefined>((done) => socket.once('close', () => done(undefined)));
      const connection = new CcrConnection(socket, socket, editor, logger, trace);
      resolve({
        transport: 'socket',
        connection,
        ended,
        close: () => {
          connection.dispose();
          socket.destroy();
        },
      });
    });
  });
}
