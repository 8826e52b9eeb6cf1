import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RESTART_POLICY, RestartPolicy } from '../src/sidecar/restartPolicy';

describe('restart policy', () => {
  it('backs off 1, 2, 4, 8 s and gives up at the fifth crash within 3 minutes', () => {
    let now = 0;
    const policy = new RestartPolicy(DEFAULT_RESTART_POLICY, () => now);
    const decisions = [];
    for (let i = 0; i < 5; i++) {
      decisions.push(policy.crashed());
      now += 20_000;
    }
    assert.deepEqual(decisions, [
      { restart: true, delayMs: 1_000, crashesInWindow: 1 },
      { restart: true, delayMs: 2_000, crashesInWindow: 2 },
      { restart: true, delayMs: 4_000, crashesInWindow: 3 },
      { restart: true, delayMs: 8_000, crashesInWindow: 4 },
      { restart: false, crashesInWindow: 5 },
    ]);
  });

  it('forgets crashes older than the window, so an occasional crash always comes back quickly', () => {
    let now = 0;
    const policy = new RestartPolicy(DEFAULT_RESTART_POLICY, () => now);
    for (let i = 0; i < 20; i++) {
      const decision = policy.crashed();
      assert.deepEqual(decision, { restart: true, delayMs: 1_000, crashesInWindow: 1 }, `crash ${i}`);
      now += 3 * 60_000;
    }
  });

  it('counts only the crashes inside the sliding window', () => {
    let now = 0;
    const policy = new RestartPolicy(DEFAULT_RESTART_POLICY, () => now);
    policy.crashed(); // t=0
    now = 100_000;
    policy.crashed();
    policy.crashed();
    now = 185_000; // the first crash left the window
    assert.deepEqual(policy.crashed(), { restart: true, delayMs: 4_000, crashesInWindow: 3 });
    assert.deepEqual(policy.crashed(), { restart: true, delayMs: 8_000, crashesInWindow: 4 });
    assert.equal(policy.crashed().restart, false);
  });

  it('starts afresh after the user starts the router by hand', () => {
    const policy = new RestartPolicy(DEFAULT_RESTART_POLICY, () => 0);
    for (let i = 0; i < 5; i++) policy.crashed();
    policy.reset();
    assert.deepEqual(policy.crashed(), { restart: true, delayMs: 1_000, crashesInWindow: 1 });
  });

  it('caps the delay', () => {
    const policy = new RestartPolicy(
      { maxCrashes: 100, windowMs: 1e9, firstDelayMs: 1_000, maxDelayMs: 30_000 },
      () => 0,
    );
    let last = 0;
    for (let i = 0; i < 10; i++) last = (policy.crashed() as { delayMs: number }).delayMs;
    assert.equal(last, 30_000);
  });
});
