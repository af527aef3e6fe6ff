/**
 * The Lua scripts of RedisQueue. Every step that reads a job's status and
 * then changes it is one script, so it is atomic against every other client:
 * two workers never claim the same job, and a cancel cannot interleave with
 * a complete. Each script mirrors one method of MemoryQueue (same rules, see
 * job-record.ts); keep the two in step.
 *
 * Replies: `{'ok', ...}` (HGETALL of the job where useful), `{'missing'}`
 * (no such job), `{'state', status}` (the job's status does not allow it).
 * Keys built inside a script (the claim's candidates, evicted finished
 * records) are not declared in KEYS: fine on one Redis, not on a cluster.
 */
import type { Redis } from 'ioredis';
import { FINISHED_STATUSES } from './job-record.js';

const luaSet = (statuses: readonly string[]): string => `{${statuses.map((s) => `['${s}'] = true`).join(', ')}}`;

const PRELUDE = `
local CLAIMED = {['assigned'] = true, ['accepted'] = true, ['in_progress'] = true}
local FINISHED = ${luaSet(FINISHED_STATUSES)}
local function reply(tag, key)
  local out = redis.call('HGETALL', key)
  table.insert(out, 1, tag)
  return out
end
-- newest first; records falling off the capped list are deleted
local function remember(list, id, prefix, cap)
  redis.call('LPUSH', list, id)
  while redis.call('LLEN', list) > cap do
    local old = redis.call('RPOP', list)
    redis.call('DEL', prefix .. 'job:' .. old)
  end
end
`;

/** KEYS: pending, capabilities. ARGV: prefix, now, machineId, workerId, scanLimit, serviceType... */
const CLAIM = `
local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[5]) - 1)
local runs = {}
local seen = {}
for i = 6, #ARGV do
  runs[ARGV[i]] = true
  table.insert(seen, ARGV[i])
  table.insert(seen, ARGV[2])
end
redis.call('HSET', KEYS[2], unpack(seen))
for _, id in ipairs(ids) do
  local key = ARGV[1] .. 'job:' .. id
  local st = redis.call('HGET', key, 'service_type')
  if not st then
    redis.call('ZREM', KEYS[1], id)
  elseif runs[st] then
    redis.call('ZREM', KEYS[1], id)
    redis.call('HINCRBY', key, 'attempts', 1)
    redis.call('HSET', key, 'status', 'assigned', 'claimed_at', ARGV[2], 'machine_id', ARGV[3], 'worker_id', ARGV[4])
    return redis.call('HGETALL', key)
  end
end
return false
`;

/** KEYS: job. ARGV: now. */
/** KEYS: job. ARGV: (none). assigned → accepted (the worker took the job on). */
const ACCEPT = `
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return {'missing'} end
if st ~= 'assigned' then return {'state', st} end
redis.call('HSET', KEYS[1], 'status', 'accepted')
return {'ok'}
`;

const START = `
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return {'missing'} end
if st ~= 'assigned' and st ~= 'accepted' then return {'state', st} end
redis.call('HSET', KEYS[1], 'status', 'in_progress', 'started_at', ARGV[1])
return {'ok'}
`;

/** KEYS: job. ARGV: progress, channel, message (JSON). */
const PROGRESS = `
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return {'missing'} end
if not CLAIMED[st] then return {'state', st} end
redis.call('HSET', KEYS[1], 'progress', ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return {'ok'}
`;

/** KEYS: job, completed list. ARGV: now, result (JSON), prefix, cap, id. */
const COMPLETE = `
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return {'missing'} end
if not CLAIMED[st] then return {'state', st} end
redis.call('HSET', KEYS[1], 'status', 'completed', 'finished_at', ARGV[1], 'progress', '100', 'result', ARGV[2], 'error', '', 'error_type', '')
remember(KEYS[2], ARGV[5], ARGV[3], tonumber(ARGV[4]))
return reply('ok', KEYS[1])
`;

/** KEYS: job, pending, failed list. ARGV: now, message, errorType, retryable (1/0), prefix, cap, id, lastAttempt. */
const FAIL = `
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return {'missing'} end
if not CLAIMED[st] then return {'state', st} end
local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts')) or 0
local max_retries = tonumber(redis.call('HGET', KEYS[1], 'max_retries')) or 0
redis.call('HSET', KEYS[1], 'error', ARGV[2], 'error_type', ARGV[3])
if ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'last_attempt', ARGV[8]) end
if ARGV[4] == '1' and attempts <= max_retries then
  local priority = tonumber(redis.call('HGET', KEYS[1], 'priority')) or 0
  redis.call('HSET', KEYS[1], 'status', 'queued', 'queued_at', ARGV[1], 'claimed_at', '0', 'started_at', '0',
    'progress', '0', 'machine_id', '', 'worker_id', '')
  redis.call('ZADD', KEYS[2], string.format('%.17g', -priority * 1e13 + tonumber(ARGV[1])), ARGV[7])
  return reply('retried', KEYS[1])
end
local final = 'failed'
if ARGV[3] == 'timeout' then final = 'timeout' end
redis.call('HSET', KEYS[1], 'status', final, 'finished_at', ARGV[1])
remember(KEYS[3], ARGV[7], ARGV[5], tonumber(ARGV[6]))
return reply('ok', KEYS[1])
`;

/** KEYS: scheduled, pending. ARGV: prefix, now, limit. Due pending jobs → queued; replies their HGETALLs. */
const PROMOTE = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  local key = ARGV[1] .. 'job:' .. id
  if redis.call('HGET', key, 'status') == 'pending' then
    local priority = tonumber(redis.call('HGET', key, 'priority')) or 0
    redis.call('HSET', key, 'status', 'queued', 'queued_at', ARGV[2])
    redis.call('ZADD', KEYS[2], string.format('%.17g', -priority * 1e13 + tonumber(ARGV[2])), id)
    table.insert(out, redis.call('HGETALL', key))
  end
end
return out
`;

/**
 * KEYS: pending, capabilities, failed list. ARGV: prefix, now, afterMs, limit, cap, message prefix.
 * Queued jobs waiting >= afterMs whose service_type no claim has named within afterMs → unworkable.
 */
const REAP = `
local now = tonumber(ARGV[2])
local after = tonumber(ARGV[3])
local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[4]) - 1)
local out = {}
for _, id in ipairs(ids) do
  local key = ARGV[1] .. 'job:' .. id
  local f = redis.call('HMGET', key, 'service_type', 'queued_at', 'status')
  if f[1] and f[3] == 'queued' and now - (tonumber(f[2]) or now) >= after then
    local seen = tonumber(redis.call('HGET', KEYS[2], f[1]) or '0') or 0
    if now - seen >= after then
      redis.call('ZREM', KEYS[1], id)
      redis.call('HSET', key, 'status', 'unworkable', 'finished_at', ARGV[2], 'error_type', 'validation',
        'error', 'no worker can run service_type ' .. f[1] .. ARGV[6])
      remember(KEYS[3], id, ARGV[1], tonumber(ARGV[5]))
      table.insert(out, redis.call('HGETALL', key))
    end
  end
end
return out
`;

/** KEYS: job, pending, cancelled list, scheduled. ARGV: now, prefix, cap, id. */
const CANCEL = `
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return {'missing'} end
if FINISHED[st] then return {'state', st} end
redis.call('ZREM', KEYS[2], ARGV[4])
redis.call('ZREM', KEYS[4], ARGV[4])
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'finished_at', ARGV[1])
remember(KEYS[3], ARGV[4], ARGV[2], tonumber(ARGV[3]))
return {'ok'}
`;

const SCRIPTS = {
  claim: { keys: 2, lua: CLAIM },
  promote: { keys: 2, lua: PROMOTE },
  reap: { keys: 3, lua: REAP },
  accept: { keys: 1, lua: ACCEPT },
  start: { keys: 1, lua: START },
  progress: { keys: 1, lua: PROGRESS },
  complete: { keys: 2, lua: COMPLETE },
  fail: { keys: 3, lua: FAIL },
  cancel: { keys: 4, lua: CANCEL },
} as const;

export type ScriptName = keyof typeof SCRIPTS;
/** Keys first (as many as the script declares), then arguments; the raw reply. */
export type ScriptFn = (...keysThenArgs: string[]) => Promise<unknown>;

/** Registers the scripts on a connection (EVALSHA, loaded on first use). */
export function defineScripts(client: Redis): Record<ScriptName, ScriptFn> {
  const out = {} as Record<ScriptName, ScriptFn>;
  for (const name of Object.keys(SCRIPTS) as ScriptName[]) {
    const command = `jobscope_${name}`;
    client.defineCommand(command, { numberOfKeys: SCRIPTS[name].keys, lua: PRELUDE + SCRIPTS[name].lua });
    const fn = (client as unknown as Record<string, ScriptFn>)[command];
    out[name] = (...a) => fn.apply(client, a);
  }
  return out;
}
