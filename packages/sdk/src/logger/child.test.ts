/** Child loggers: bindings, shared sink and counters, no duplicate keys. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorLogger } from './connector-logger.js';
import { MemorySink } from './testkit.js';

function root(): { log: ConnectorLogger; sink: MemorySink } {
  const sink = new MemorySink();
  return { sink, log: new ConnectorLogger({ machineId: 'm1', workerId: 'w1', serviceType: 'comfyui', connectorId: 'c1', sink, env: {} }) };
}

test('withJobContext: job_id and session_id on every record, sink shared', () => {
  const { log, sink } = root();
  const job = log.withJobContext('job-1', 'sess-1');
  job.info('step', { step: 1 });
  job.jobCompleted('job-1', { duration_ms: 5 });
  log.info('parent');
  const [a, b, c] = sink.records();
  assert.equal(a.job_id, 'job-1');
  assert.equal(a.session_id, 'sess-1');
  assert.equal(a.machine_id, 'm1');
  assert.equal(b.job_id, 'job-1');
  assert.equal(b.event_type, 'job_completed');
  // the bound id is not written twice
  assert.equal(sink.lines[1].split('"job_id"').length, 2);
  assert.equal(c.job_id, undefined);
  assert.equal(c.session_id, undefined);
});

test('withJobContext: the job id can be omitted in event calls of a job child', () => {
  const { log, sink } = root();
  log.withJobContext('job-2').jobStarted(undefined as never, { attempt: 1 });
  assert.equal(sink.last().job_id, 'job-2');
});

test('a child of a child replaces the bound job, with no duplicate key', () => {
  const { log, sink } = root();
  const a = log.withJobContext('job-a', 's');
  const b = a.withJobContext('job-b');
  b.info('x');
  assert.equal(sink.lines[0].split('"job_id"').length, 2);
  assert.equal(sink.last().job_id, 'job-b');
  assert.equal(sink.last().session_id, 's');
});

test('child(bindings): normalized through the schema, typed, counted', () => {
  const { log, sink } = root();
  const c = log.child({ promptId: 'p-1', queue_remaining: 'bad', jobId: 'job-3', customTag: 'x' });
  c.info('hi');
  const r = sink.last();
  assert.equal(r.prompt_id, 'p-1');
  assert.equal(r.job_id, 'job-3');
  assert.equal(r.custom_tag, 'x');
  assert.equal(r.queue_remaining, undefined);
  assert.equal(log.stats().schemaErrors, 1);
  c.jobCompleted('job-3');
  assert.equal(sink.lines[1].split('"job_id"').length, 2);
});

test('children share counters with their root', () => {
  const { log } = root();
  const c = log.withJobContext('j');
  c.info('1');
  log.info('2');
  assert.equal(log.stats().records, 2);
  assert.equal(c.stats().records, 2);
  assert.equal(c.sink, log.sink);
});

test('children are instances of ConnectorLogger with every method', () => {
  const { log } = root();
  const c = log.withJobContext('j');
  assert.ok(c instanceof ConnectorLogger);
  assert.equal(typeof c.jobFailed, 'function');
  assert.equal(typeof c.withJobContext('k').info, 'function');
});

test('odd ids never throw', () => {
  const { log, sink } = root();
  const hostile = { toString(): string { throw new Error('no'); } };
  log.withJobContext(hostile as never, hostile as never).info('x');
  log.withJobContext(42 as never).info('y');
  log.jobCompleted(7 as never);
  const [a, b, c] = sink.records();
  assert.equal(typeof a.job_id, 'string');
  assert.equal(b.job_id, '42');
  assert.equal(c.job_id, '7');
});
