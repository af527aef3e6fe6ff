/** The sdk-bench section is replaced in place, or appended, and nothing else in the file changes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractSection, replaceSection, SDK_END, SDK_START } from './section.js';

test('replaces the section between the markers and keeps the rest byte for byte', () => {
  const head = '# Benchmarks\n\nserver results…\n\n';
  const tail = '\n\n<!-- analysis:start -->\nhand-written\n<!-- analysis:end -->\n';
  const doc = `${head}${SDK_START}\nold numbers\n${SDK_END}${tail}`;
  const out = replaceSection(doc, '## SDK\n\nnew numbers\n');
  assert.equal(out, `${head}${SDK_START}\n## SDK\n\nnew numbers\n${SDK_END}${tail}`);
  assert.equal(replaceSection(out, '## SDK\n\nnew numbers'), out, 'idempotent');
});

test('appends the section, with its markers, when the file has none', () => {
  assert.equal(replaceSection('# Benchmarks\n', 'x'), `# Benchmarks\n\n${SDK_START}\nx\n${SDK_END}\n`);
  assert.equal(replaceSection('', 'x'), `${SDK_START}\nx\n${SDK_END}\n`);
  assert.equal(replaceSection('a', 'x'), `a\n\n${SDK_START}\nx\n${SDK_END}\n`);
});

test('an end marker before the start marker does not count', () => {
  const doc = `${SDK_END}\nintro\n`;
  assert.equal(replaceSection(doc, 'x'), `${doc}\n${SDK_START}\nx\n${SDK_END}\n`);
});

test('extractSection gives the block with its markers, for writers that rebuild the rest', () => {
  const block = `${SDK_START}\nnumbers\n${SDK_END}`;
  assert.equal(extractSection(`a\n${block}\nb`), block);
  assert.equal(extractSection('no section'), '');
});
