/**
 * startRedisServer: a private redis-server on 127.0.0.1 with persistence
 * off in its own temporary directory, gone (process and directory) after
 * stop(); a taken port is an error, not someone else's server.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { JobscopeError } from '@jobscope/core';
import { redisServerAvailable, startRedisServer } from './index.js';

/** Redis sets its process title to "redis-server 127.0.0.1:<port>". */
function running(port: number): boolean {
  try {
    execFileSync('pgrep', ['-f', `redis-server 127.0.0.1:${port}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  await new Promise((r) => srv.close(r));
  assert.ok(addr && typeof addr === 'object');
  return addr.port;
}

describe('startRedisServer', { skip: redisServerAvailable() ? false : 'redis-server is not on PATH' }, () => {
  test('starts on 127.0.0.1 with persistence off; stop() removes the process and the directory', async () => {
    const s = await startRedisServer();
    assert.equal(s.url, `redis://127.0.0.1:${s.port}`);
    assert.ok(existsSync(s.dir));
    assert.ok(running(s.port));
    const c = new Redis(s.url);
    try {
      assert.equal(await c.ping(), 'PONG');
      assert.deepEqual(await c.config('GET', 'bind'), ['bind', '127.0.0.1']);
      assert.deepEqual(await c.config('GET', 'save'), ['save', '']);
      assert.deepEqual(await c.config('GET', 'appendonly'), ['appendonly', 'no']);
      assert.deepEqual(await c.config('GET', 'dir'), ['dir', s.dir]);
    } finally {
      await c.quit();
    }
    await s.stop();
    await s.stop(); // twice is fine
    assert.equal(existsSync(s.dir), false);
    assert.equal(running(s.port), false);
  });

  test('a chosen port; that port taken is JS_UNAVAILABLE and leaves nothing behind', async () => {
    const port = await freePort();
    const s = await startRedisServer({ port });
    try {
      assert.equal(s.port, port);
      await assert.rejects(startRedisServer({ port }), (e: unknown) => {
        assert.ok(e instanceof JobscopeError);
        assert.equal(e.code, 'JS_UNAVAILABLE');
        assert.match(e.message, new RegExp(`port ${port}`));
        return true;
      });
      const c = new Redis(s.url);
      assert.equal(await c.ping(), 'PONG'); // the first one is untouched
      await c.quit();
    } finally {
      await s.stop();
    }
    assert.equal(running(port), false);
  });

  test('two servers at once get different ports', async () => {
    const [a, b] = await Promise.all([startRedisServer(), startRedisServer()]);
    try {
      assert.notEqual(a.port, b.port);
      assert.notEqual(a.dir, b.dir);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  test('a bad port is JS_BAD_REQUEST', async () => {
    for (const port of [0, -1, 70000, 1.5]) {
      await assert.rejects(startRedisServer({ port }), (e: unknown) => e instanceof JobscopeError && e.code === 'JS_BAD_REQUEST');
    }
  });
});

test('without redis-server on PATH: available() is false and start is JS_UNAVAILABLE', async () => {
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    assert.equal(redisServerAvailable(), false);
    await assert.rejects(startRedisServer(), (e: unknown) => e instanceof JobscopeError && e.code === 'JS_UNAVAILABLE' && /not found on PATH/.test(e.message));
  } finally {
    process.env.PATH = path;
  }
});
