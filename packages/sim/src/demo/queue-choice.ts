/**
 * The demo's queue: REDIS_URL when set; else Debian's redis-server started
 * on a free port in a temporary directory; else, and said so, the
 * in-process queue with the same semantics.
 */
import { createMemoryQueue, createRedisQueue, redisServerAvailable, startRedisServer, type JobQueue } from '../queue/index.js';

export interface QueueChoice {
  queue: JobQueue;
  /** What the user is told. */
  description: string;
  /** The Redis behind the queue (null: the in-process queue). */
  redisUrl: string | null;
  stop(): Promise<void>;
}

export async function chooseQueue(redisUrl: string | undefined): Promise<QueueChoice> {
  if (redisUrl) {
    const queue = await createRedisQueue(redisUrl);
    return { queue, redisUrl, description: `Redis at ${redisUrl.replace(/\/\/[^@]*@/, '//***@')}`, stop: () => queue.close() };
  }
  if (redisServerAvailable()) {
    const server = await startRedisServer();
    const queue = await createRedisQueue(server.url);
    return {
      queue,
      redisUrl: server.url,
      description: `redis-server started on ${server.url} (temporary; set REDIS_URL to use yours)`,
      async stop() { await queue.close(); await server.stop(); },
    };
  }
  const queue = createMemoryQueue();
  return { queue, redisUrl: null, description: 'in-process queue (no redis-server found: install Debian\'s redis-server or set REDIS_URL for the real one)', stop: () => queue.close() };
}
