import * as vscode from 'vscode';
import { formatLine, type Logger } from '../log';

/**
 * The "Claude Code Router" output channel: the extension's own lines and the router's stderr, interleaved, in the
 * server's log format. A plain channel rather than a log channel, since the server's lines carry their own time and
 * level.
 */
export class OutputLog implements Logger, vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Claude Code Router');
  private disposed = false;

  info(message: string): void {
    this.append(formatLine('INFO', message));
  }
  warn(message: string): void {
    this.append(formatLine('WARN', message));
  }
  error(message: string): void {
    this.append(formatLine('ERROR', message));
  }
  server(line: string): void {
    this.append(line);
  }
  show(): void {
    this.channel.show(true);
  }
  dispose(): void {
    this.disposed = true;
    this.channel.dispose();
  }

  /**
   * Logging must never throw: the router's stderr keeps arriving while VS Code shuts the extension down, and a closed
   * channel throws, which would abort the clean stop that is still running.
   */
  private append(line: string): void {
    if (this.disposed) {
      return;
    }
    try {
      this.channel.appendLine(line);
    } catch {
      this.disposed = true;
    }
  }
}
