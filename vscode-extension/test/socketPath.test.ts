/** The socket path rule agrees with the server's, on the examples both sides are checked against. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { MAX_SOCKET_PATH, socketPath } from '../src/sidecar/socketPath';
import { repoRoot } from './support/paths';

interface Example {
  name: string;
  home: string;
  config: string;
  env: Record<string, string>;
  user: string;
  socket: string;
}

const examples = (
  JSON.parse(
    readFileSync(path.join(repoRoot, 'server', 'src', 'test', 'resources', 'editor-socket-paths.json'), 'utf8'),
  ) as { examples: Example[] }
).examples;

describe('socket path', () => {
  it('is where the server listens, for each shared example', () => {
    assert.ok(examples.length > 3);
    for (const example of examples) {
      const actual = socketPath({
        ccrHome: example.home,
        configFile: example.config,
        env: example.env,
        user: example.user,
        platform: 'linux',
      });
      assert.equal(actual, example.socket, example.name);
    }
  });

  it('always fits in a socket address', () => {
    const deep = `/home/dev/${'a-rather-long-folder-name/'.repeat(10)}.claude-code-router`;
    const actual = socketPath({
      ccrHome: deep,
      configFile: `${deep}/config.json`,
      env: {},
      user: 'dev',
      platform: 'linux',
    });
    assert.ok(actual.length <= MAX_SOCKET_PATH, actual);
  });
});
