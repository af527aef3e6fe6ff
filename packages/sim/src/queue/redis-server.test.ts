/**
 * startRedisServer: a private redis-server on 127.0.0.1 with persistence
 * off in its own temporary directory, gone (process and directory) after
 * stop(); a taken port is an error, not someone else's server.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

  test('its own process group: Ctrl-C in a terminal (SIGINT to our group) does not reach it', async () => {
    const s = await startRedisServer();
    const c = new Redis(s.url);
    try {
      const info = await c.info('server');
      const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
      const pgrp = (p: string): string => readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ')[2]!;
      assert.ok(pid > 0);
      assert.notEqual(pgrp(String(pid)), pgrp('self'));
    } finally {
      await c.quit();
      await s.stop();
    }
    assert.equal(running(s.port), false);
  });

  test('never outlives its process: SIGKILL of the owner stops the server', { timeout: 30_000 }, async () => {
    const script = `import('${new URL('./index.js', import.meta.url).href}').then(async (m) => { const s = await m.startRedisServer(); console.log(s.port); setInterval(() => {}, 1000); });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      child.once('exit', (code) => reject(new Error(`owner exited ${code}`)));
    });
    assert.ok(running(port), 'started');
    child.kill('SIGKILL');
    const deadline = Date.now() + 5000;
    while (running(port) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(running(port), false, 'the server went with its owner');
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
