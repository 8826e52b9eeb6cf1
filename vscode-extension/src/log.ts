/**
 * Where the extension writes what it does. The VS Code output channel implements it (`ui/outputLog.ts`); tests use a
 * list. Nothing written here may contain a secret: callers log endpoint names, never keys.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A line the sidecar wrote to its stderr, shown as it is (it carries its own time and level). */
  server(line: string): void;
}

/** A line in the style of the server's log (`HH:mm:ss.SSS LEVEL source - message`), so both read as one log. */
export function formatLine(level: 'INFO' | 'WARN' | 'ERROR', message: string, now = new Date()): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const time = `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds(), 3)}`;
  return `${time} ${level.padEnd(5)} vscode - ${message}`;
}

/** Keeps lines in memory: for tests, and for the e2e test's assertions on what was logged. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(`INFO ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`WARN ${message}`);
  }
  error(message: string): void {
    this.lines.push(`ERROR ${message}`);
  }
  server(line: string): void {
    this.lines.push(`SERVER ${line}`);
  }
}
