import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from './paths';

export interface FixtureExample {
  readonly name: string;
  readonly message: { jsonrpc: string; id?: string; method: string; params?: unknown };
  readonly response?: {
    jsonrpc: string;
    id: string;
    result?: unknown;
    error?: { code: number; message: string; data?: unknown };
  };
}

export interface Fixture {
  readonly file: string;
  readonly method: string;
  readonly direction: 'toServer' | 'toEditor';
  readonly kind: 'request' | 'notification';
  readonly examples: readonly FixtureExample[];
}

/** The golden JSON of every message, shared with the Java tests (protocol/src/test/resources/fixtures). */
export function loadFixtures(): Fixture[] {
  return readdirSync(fixturesDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      ...(JSON.parse(readFileSync(path.join(fixturesDir, file), 'utf8')) as Omit<Fixture, 'file'>),
    }));
}
