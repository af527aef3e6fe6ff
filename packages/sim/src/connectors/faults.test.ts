import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAULT_NAMES, FaultSet, NO_FAULTS } from './faults.js';

test('fault names: the six of the simulator', () => {
  assert.deepEqual([...FAULT_NAMES], ['gpu_oom', 'slow_model', 'machine_crash', 'rate_limit', 'backlog', 'new_error']);
  assert.equal(NO_FAULTS.has('gpu_oom'), false);
});

test('unscoped activation covers every machine and model', () => {
  const f = new FaultSet();
  assert.equal(f.has('rate_limit'), false);
  f.activate('rate_limit');
  assert.equal(f.has('rate_limit'), true);
  assert.equal(f.has('rate_limit', { machineId: 'm1', model: 'gpt-4o' }), true);
  assert.equal(f.has('gpu_oom', { machineId: 'm1' }), false);
});

test('machine and model scopes cover only their machine / model', () => {
  const f = new FaultSet();
  f.activate('gpu_oom', { machineId: 'm1' });
  f.activate('slow_model', { model: 'sdxl' });
  f.activate('new_error', { machineId: 'm2', model: 'sd15' });
  assert.equal(f.has('gpu_oom', { machineId: 'm1', model: 'sdxl' }), true);
  assert.equal(f.has('gpu_oom', { machineId: 'm2' }), false);
  assert.equal(f.has('gpu_oom'), false, 'a query that names no machine is not covered by a machine scope');
  assert.equal(f.has('slow_model', { model: 'sdxl', machineId: 'any' }), true);
  assert.equal(f.has('slow_model', { model: 'sd15' }), false);
  assert.equal(f.has('new_error', { machineId: 'm2', model: 'sd15' }), true);
  assert.equal(f.has('new_error', { machineId: 'm2', model: 'sdxl' }), false);
  assert.equal(f.has('new_error', { machineId: 'm1', model: 'sd15' }), false);
});

test('deactivate: by exact scope, or every activation of the name', () => {
  const f = new FaultSet();
  f.activate('gpu_oom', { machineId: 'm1' });
  f.activate('gpu_oom', { machineId: 'm2' });
  assert.equal(f.deactivate('gpu_oom', { machineId: 'm3' }), 0);
  assert.equal(f.deactivate('gpu_oom', { machineId: 'm1' }), 1);
  assert.equal(f.has('gpu_oom', { machineId: 'm1' }), false);
  assert.equal(f.has('gpu_oom', { machineId: 'm2' }), true);
  f.activate('gpu_oom');
  assert.equal(f.deactivate('gpu_oom'), 2);
  assert.deepEqual(f.active(), []);
});

test('end time: expires on the set clock (until or durationMs); re-activation replaces', () => {
  let now = 1_000;
  const f = new FaultSet({ now: () => now });
  f.activate('rate_limit', { until: 1_500 });
  f.activate('slow_model', { model: 'gpt-4o', durationMs: 2_000 });
  assert.equal(f.has('rate_limit'), true);
  now = 1_500;
  assert.equal(f.has('rate_limit'), false);
  assert.equal(f.has('slow_model', { model: 'gpt-4o' }), true);
  assert.deepEqual(f.active().map((a) => a.name), ['slow_model']);
  f.activate('slow_model', { model: 'gpt-4o', durationMs: 10_000 });
  assert.equal(f.active().length, 1);
  now = 5_000;
  assert.equal(f.has('slow_model', { model: 'gpt-4o' }), true);
  f.clear();
  assert.equal(f.has('slow_model', { model: 'gpt-4o' }), false);
});

test('forMachine: a view that asks for its machine', () => {
  const f = new FaultSet();
  f.activate('gpu_oom', { machineId: 'm1' });
  assert.equal(f.forMachine('m1').has('gpu_oom'), true);
  assert.equal(f.forMachine('m1').has('gpu_oom', { model: 'sdxl' }), true);
  assert.equal(f.forMachine('m2').has('gpu_oom'), false);
  assert.equal(f.forMachine('m2').has('gpu_oom', { machineId: 'm1' }), true, 'an explicit machine wins');
});

test('unknown fault names are refused', () => {
  assert.throws(() => new FaultSet().activate('disk_full' as never), RangeError);
});
