import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uiBuilt, uiPublicDir } from '@jobscope/ui';
import { serverConfigFrom, uiLine } from './server.js';

test('the server serves the built UI unless --no-ui', () => {
  const on = serverConfigFrom(['--port', '0'])!;
  assert.equal(on.uiDir, uiBuilt() ? uiPublicDir() : undefined);
  const off = serverConfigFrom(['--port', '0', '--no-ui'])!;
  assert.equal(off.uiDir, undefined);
});

test('the banner prints the UI URL, or why there is none', () => {
  const c = serverConfigFrom(['--no-ui'])!;
  assert.equal(uiLine('http://127.0.0.1:4318', { ...c, uiDir: '/tmp' }, []), 'Jobscope UI: http://127.0.0.1:4318/');
  assert.equal(uiLine('http://127.0.0.1:4318', c, ['--no-ui']), 'Jobscope UI: off (--no-ui)');
  assert.match(uiLine('http://127.0.0.1:4318', c, []), /^Jobscope UI: not built \(run `npm run build`/);
});
