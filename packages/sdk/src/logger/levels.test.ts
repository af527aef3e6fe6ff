/** Level thresholds, silent, setLevel, identity defaults from the environment. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { ConnectorLogger } from './connector-logger.js';
import { MemorySink } from './testkit.js';

const make = (level?: string, env: Record<string, string> = {}): { log: ConnectorLogger; sink: MemorySink } => {
  const sink = new MemorySink();
  return { sink, log: new ConnectorLogger({ machineId: 'm', serviceType: 'rest', sink, level: level as never, env }) };
};

function levelsWritten(log: ConnectorLogger, sink: MemorySink): string[] {
  sink.clear();
  log.trace('t');
  log.debug('d');
  log.info('i');
  log.warn('w');
  log.error('e');
  log.fatal('f');
  return sink.records().map((r) => r.level as string);
}

test('threshold: levels below are not written', () => {
  const table: Array<[string | undefined, string[]]> = [
    ['trace', ['trace', 'debug', 'info', 'warn', 'error', 'fatal']],
    ['debug', ['debug', 'info', 'warn', 'error', 'fatal']],
    [undefined, ['info', 'warn', 'error', 'fatal']],
    ['warn', ['warn', 'error', 'fatal']],
    ['error', ['error', 'fatal']],
    ['fatal', ['fatal']],
    ['silent', []],
    ['nonsense', ['info', 'warn', 'error', 'fatal']],
  ];
  for (const [level, want] of table) {
    const { log, sink } = make(level);
    assert.deepEqual(levelsWritten(log, sink), want, String(level));
  }
});

test('disabled levels are no-ops set at configuration time', () => {
  const { log } = make('warn');
  assert.ok(Object.hasOwn(log, 'debug') && Object.hasOwn(log, 'info'));
  assert.ok(!Object.hasOwn(log, 'warn'));
  assert.equal(log.debug.length, 0); // the no-op takes no arguments
});

test('LOG_LEVEL from the environment when no level option', () => {
  const { log, sink } = make(undefined, { LOG_LEVEL: 'error' });
  assert.equal(log.level, 'error');
  assert.deepEqual(levelsWritten(log, sink), ['error', 'fatal']);
});

test('setLevel changes the threshold both ways', () => {
  const { log, sink } = make('error');
  log.setLevel('debug');
  assert.equal(log.level, 'debug');
  assert.deepEqual(levelsWritten(log, sink), ['debug', 'info', 'warn', 'error', 'fatal']);
  log.setLevel('fatal');
  assert.deepEqual(levelsWritten(log, sink), ['fatal']);
});

test('events ignore the threshold; silent turns them off, and back on', () => {
  const { log, sink } = make('error');
  log.jobCompleted('j1');
  log.workerHeartbeat();
  assert.equal(sink.lines.length, 2);
  log.setLevel('silent');
  log.jobCompleted('j1');
  log.jobFailed('j1', new Error('x'));
  log.healthCheck('healthy');
  assert.equal(sink.lines.length, 2);
  log.setLevel('info');
  log.jobCompleted('j2');
  assert.equal(sink.lines.length, 3);
});

test('children inherit the level; a child may change its own', () => {
  const { log, sink } = make('warn');
  const child = log.withJobContext('j1');
  child.info('no');
  child.warn('yes');
  child.setLevel('debug');
  child.debug('now yes');
  log.debug('parent still no');
  assert.deepEqual(sink.records().map((r) => r.msg), ['yes', 'now yes']);
});

test('identity: options, then environment, then the worker ID scheme', () => {
  const sink = new MemorySink();
  new ConnectorLogger({ sink, env: { MACHINE_ID: 'gpu-box-7', SERVICE_TYPE: 'a1111', WORKER_INDEX: '2' } }).info('x');
  new ConnectorLogger({ sink, env: { MACHINE_ID: 'm', WORKER_ID: 'w-env', SERVICE_TYPE: 'openai', CONNECTOR_ID: 'c-env', JOBSCOPE_DATASET: 'prod' } }).info('x');
  new ConnectorLogger({ sink, env: {} }).info('x');
  new ConnectorLogger({ sink, machineId: 'opt', serviceType: 'comfyui', dataset: 'staging', env: { MACHINE_ID: 'env', WORKER_ID: '' } }).info('x');
  const [a, b, c, d] = sink.records();
  assert.deepEqual([a.machine_id, a.worker_id, a.service_type, a.connector_id, a.dataset], ['gpu-box-7', 'gpu-box-7-a1111-2', 'a1111', 'a1111', undefined]);
  assert.deepEqual([b.machine_id, b.worker_id, b.service_type, b.connector_id, b.dataset], ['m', 'w-env', 'openai', 'c-env', 'prod']);
  assert.deepEqual([c.machine_id, c.worker_id, c.service_type], [hostname(), `${hostname()}-unknown-0`, 'unknown']);
  assert.deepEqual([d.machine_id, d.worker_id, d.dataset], ['opt', 'opt-comfyui-0', 'staging']);
});

test('extra bindings option: normalized, serialized once, on every record', () => {
  const sink = new MemorySink();
  const log = new ConnectorLogger({ machineId: 'm', serviceType: 'rest', sink, env: {}, bindings: { source: 'connector-logger', regionName: 'eu', skip: undefined } });
  log.info('x');
  log.jobCompleted('j');
  for (const r of sink.records()) {
    assert.equal(r.source, 'connector-logger');
    assert.equal(r.region_name, 'eu');
    assert.ok(!('skip' in r));
  }
});
