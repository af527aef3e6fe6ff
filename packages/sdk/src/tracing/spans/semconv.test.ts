/** The copied incubating keys equal the installed @opentelemetry/semantic-conventions (tests may import the incubating entry point). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as incubating from '@opentelemetry/semantic-conventions/incubating';
import * as stable from '@opentelemetry/semantic-conventions';
import * as ours from './semconv.js';

test('every ATTR_/VALUE constant that the package defines has the package\'s value', () => {
  const inc = incubating as unknown as Record<string, unknown>;
  const st = stable as unknown as Record<string, unknown>;
  let checked = 0;
  for (const [name, value] of Object.entries(ours)) {
    const theirs = st[name] ?? inc[name];
    if (theirs === undefined) continue; // our own job and connector fields
    assert.equal(value, theirs, name);
    checked++;
  }
  assert.ok(checked >= 30, `checked ${checked}`);
});

test('the semantic-convention keys we copied are all known to the package', () => {
  const inc = incubating as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(ours)) {
    if (typeof value === 'string' && value.includes('.') && name.startsWith('ATTR_')) {
      assert.ok(inc[name] !== undefined, `${name} (${value}) is not in @opentelemetry/semantic-conventions`);
    }
  }
});
