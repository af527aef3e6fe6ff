/** The fleet simulator's job queue: the contract, its Redis and in-memory implementations, and a private redis-server. */
export type {
  FailureInfo, JobQueue, JobRecord, JobSpec, ProgressMessage, WorkerIdentity,
} from './types.js';
export { createRedisQueue, type RedisQueueOptions } from './redis-queue.js';
export { createMemoryQueue } from './memory-queue.js';
export { redisServerAvailable, startRedisServer, type RedisServerHandle } from './redis-server.js';
export { CLAIM_SCAN_LIMIT, DEFAULT_MAX_RETRIES, FINISHED_CAP, MAX_ABS_PRIORITY } from './job-record.js';
