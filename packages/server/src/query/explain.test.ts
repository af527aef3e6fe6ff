import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainQuery, JOB_STATES_TABLE, SPANS_TABLE } from './index.js';

test('explain: queries in plain English', () => {
  const cases: Array<[string, string]> = [
    [
      'service_type:comfyui level:error "CUDA out of memory" -event_type:job_progress duration_ms:>5000 job_id:job-123*',
      'service_type is comfyui and level is error and message contains "CUDA out of memory" and event_type is not job_progress' +
        ' and duration_ms is greater than 5000 and job_id starts with job-123',
    ],
    ['', 'everything'],
    ['-*', 'nothing'],
    ['oom', 'message contains oom'],
    ['-oom', 'message does not contain oom'],
    ['-"out of memory"', 'message does not contain "out of memory"'],
    ['*oom*', 'message contains oom'],
    ['OOMK*', 'message contains OOMK'],
    ['a*b', 'message matches a*b'],
    ['message:oom', 'message contains oom'],
    ['body:"x y"', 'body contains "x y"'],
    ['-message:oom', 'message does not contain oom'],
    ['jobId:x', 'job_id is x'],
    ['x:""', 'x is ""'],
    ['x:"a b"', 'x is "a b"'],
    ['resource.host:h1', 'resource.host is h1'],
    ['job_id:*-1', 'job_id ends with -1'],
    ['job_id:*12*', 'job_id contains 12'],
    ['job_id:a*b*c', 'job_id matches a*b*c'],
    ['-job_id:a*', 'job_id does not start with a'],
    ['-job_id:*a', 'job_id does not end with a'],
    ['-job_id:*a*', 'job_id does not contain a'],
    ['-job_id:a*b', 'job_id does not match a*b'],
    ['job_id:*', 'job_id exists'],
    ['-job_id:*', 'job_id does not exist'],
    ['duration_ms:>=5', 'duration_ms is at least 5'],
    ['duration_ms:<5', 'duration_ms is less than 5'],
    ['duration_ms:<=5', 'duration_ms is at most 5'],
    ['-duration_ms:>5', 'duration_ms is not greater than 5'],
    ['duration_ms:[1 TO 5]', 'duration_ms is between 1 and 5'],
    ['duration_ms:{1 TO 5]', 'duration_ms is greater than 1 and at most 5'],
    ['duration_ms:[1 TO *]', 'duration_ms is at least 1'],
    ['duration_ms:[* TO 5}', 'duration_ms is less than 5'],
    ['-duration_ms:[1 TO 5]', 'duration_ms is not between 1 and 5'],
    ['timestamp:>now-1h', 'timestamp is after now-1h'],
    ['timestamp:<=2024-05-01', 'timestamp is at or before 2024-05-01'],
    ['timestamp:[2024-05-01 TO now}', 'timestamp is at or after 2024-05-01 and before now'],
    ['a OR b c', 'message contains a or (message contains b and message contains c)'],
    ['(a OR b) c', '(message contains a or message contains b) and message contains c'],
    ['(a b) OR (c d)', '(message contains a and message contains b) or (message contains c and message contains d)'],
    ['NOT (a b)', 'not (message contains a and message contains b)'],
    ['NOT NOT a', 'not (message does not contain a)'],
    ['level:(error OR fatal)', 'level is error or level is fatal'],
    ['-level:(debug OR trace)', 'not (level is debug or level is trace)'],
  ];
  for (const [q, english] of cases) assert.equal(explainQuery(q), english, q);
});

test('explain: with a table, its text field and types decide the wording', () => {
  assert.equal(explainQuery('name:comfyui.execute execute', SPANS_TABLE), 'name is comfyui.execute and name contains execute');
  assert.equal(explainQuery('status:failed attempts:>1', JOB_STATES_TABLE), 'status is failed and attempts is greater than 1');
  // `message` is only special as a text field: on spans it would be an attribute.
  assert.equal(explainQuery('message:x', SPANS_TABLE), 'message is x');
});

test('explain: syntax errors are the parser\'s', () => {
  assert.throws(() => explainQuery('a)'), /unexpected '\)' at 1/);
});
