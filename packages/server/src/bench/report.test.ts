/** The report writer regenerates docs/benchmarks.md but keeps the hand-written analysis and the SDK benchmark's section. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT_END, AGENT_START, renderReport, SDK_END, SDK_START, type Report } from './report.js';

const report: Report = {
  machine: {
    date: '2026-11-28 22:00 UTC', cpus: 2, cpuModel: 'cpu', memoryBytes: 2 ** 30, node: 'v20', chdb: '3', engine: '26',
    os: 'Linux', commit: 'abc', loadBefore: [1, 1, 1], loadAfter: [1, 1, 1],
  },
  settings: {
    command: 'npm run bench', ingestRows: 1, warmupRows: 1, rounds: 1, concurrency: 1, perRequest: [1, 2],
    directBatchRows: 1, queryRows: 1, runs: 1, profileRows: 1,
  },
  seconds: 60,
};

test('the sdk-bench section of the previous file is kept, byte for byte, at the end', () => {
  const sdk = `${SDK_START}\n## SDK (issue #3)\n\n| measure | measured |\n|---|---|\n| x | 1 µs |\n${SDK_END}`;
  const previous = `# Benchmarks\n\nold numbers\n\n<!-- analysis:start -->\nhand-written\n<!-- analysis:end -->\n\nold method\n\n${sdk}\n`;
  const md = renderReport(report, previous);
  assert.ok(md.includes(sdk));
  assert.ok(md.includes('<!-- analysis:start -->\nhand-written\n<!-- analysis:end -->'));
  assert.ok(md.trimEnd().endsWith(SDK_END));
  assert.ok(!md.includes('old numbers'));
  assert.equal(renderReport(report, md), md, 'a second run changes nothing');
});

test('without an sdk-bench section in the previous file, none is invented', () => {
  assert.ok(!renderReport(report, '').includes(SDK_START));
});

test('the agent-bench section is kept too, after the SDK\'s', () => {
  const sdk = `${SDK_START}\nsdk numbers\n${SDK_END}`;
  const agent = `${AGENT_START}\n## Agent (issue #4)\nagent numbers\n${AGENT_END}`;
  const md = renderReport(report, `# old\n\n${agent}\n\n${sdk}\n`);
  assert.ok(md.includes(sdk) && md.includes(agent));
  assert.ok(md.indexOf(sdk) < md.indexOf(agent));
  assert.equal(renderReport(report, md), md, 'a second run changes nothing');
});

test('any other NAME-bench section is kept as well (fleet, tracing …), known ones in issue order', () => {
  const fleet = '<!-- fleet-bench:start -->\n## Fleet\nfleet numbers\n<!-- fleet-bench:end -->';
  const other = '<!-- zzz-bench:start -->\nlater\n<!-- zzz-bench:end -->';
  const sdk = `${SDK_START}\nsdk numbers\n${SDK_END}`;
  const md = renderReport(report, `# old\n\n${other}\n\n${fleet}\n\n${sdk}\n`);
  assert.ok(md.indexOf(sdk) < md.indexOf(fleet) && md.indexOf(fleet) < md.indexOf(other));
  assert.equal(renderReport(report, md), md);
});
