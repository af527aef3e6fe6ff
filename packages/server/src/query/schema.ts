/**
 * Table descriptors: the only source of identifiers and column expressions
 * for compiled queries. A descriptor maps the names users type
 * (`service_type`, `level`, `duration_ms`) to SQL expressions and says how
 * values compare (type, case). Unknown names fall back to the table's
 * attribute map (`LogAttributes[{key}]`), `resource.<key>` to its resource
 * map; both keys travel as parameters.
 */
import { JOB_STATE_COLUMNS } from '../store/schema/job-states.js';
import { schemaExpr, type Sql } from './sql.js';

/**
 * - string: equality / wildcards / lexicographic comparisons;
 * - number: values must be numbers (bound as Float64);
 * - time:   ISO-8601 dates/times, epoch numbers, `now`, `now-15m` (values.ts);
 * - text:   free-text semantics (tokens, phrases; see text-search.ts).
 */
export type FieldType = 'string' | 'number' | 'time' | 'text';

/**
 * How string values compare:
 * - exact:       `expr = value`;
 * - lowercase:   stored values are lowercase, the user's value is lowercased;
 * - level:       like lowercase, and level words are canonicalized
 *                (`WARNING` → `warn`, `err` → `error`, via levelFromText);
 * - insensitive: `lowerUTF8(expr) = lowerUTF8(value)` (mixed-case stored values);
 * - enum:        an OTLP enum word, stored as `Error` (our writer, the
 *                ClickHouse exporter) or `STATUS_CODE_ERROR` (some
 *                collectors): the expression lowercases the stored word and
 *                drops the prefix, and so does the compiler with the user's
 *                value, so `status:error` and `status:STATUS_CODE_ERROR`
 *                both match both.
 */
export type ValueMode = 'exact' | 'lowercase' | 'level' | 'insensitive' | 'enum';

export interface ColumnField {
  readonly kind: 'column';
  readonly expr: Sql;
  readonly type: FieldType;
  readonly values: ValueMode;
  /** The expression can be NULL: a NULL never matches, and NOT of it matches. */
  readonly nullable: boolean;
}

/** A fixed key of a Map(String, String) column, e.g. logs' `duration_ms`. */
export interface MapField {
  readonly kind: 'map';
  readonly map: Sql;
  readonly key: string;
  /** number: compared through toFloat64OrNull(); auto: numeric when the query value is a number. */
  readonly type: 'string' | 'number' | 'auto';
}

export type FieldDef = ColumnField | MapField;

export interface TableDescriptor {
  /** The ClickHouse table (informational; callers write the FROM clause). */
  readonly name: string;
  /** Field name → definition. Several names may share one definition (aliases). */
  readonly fields: Readonly<Record<string, FieldDef>>;
  /** The field bare words and "phrases" search; absent: free text is refused. */
  readonly textField?: string;
  /** Map(String, String) consulted for names not in `fields`; absent: unknown fields are refused. */
  readonly attributes?: Sql;
  /** Map(String, String) for `resource.<key>`. */
  readonly resource?: Sql;
}

export interface ColumnOptions {
  readonly values?: ValueMode;
  readonly nullable?: boolean;
}

/** A field over a trusted schema expression (`JobId`, `argMaxMerge(Status)`, `Duration / 1e6`). */
export function column(expr: string, type: FieldType = 'string', opts: ColumnOptions = {}): ColumnField {
  return Object.freeze({
    kind: 'column', expr: schemaExpr(expr), type,
    values: opts.values ?? 'exact', nullable: opts.nullable ?? false,
  });
}

export function mapKey(map: string, key: string, type: MapField['type'] = 'auto'): MapField {
  return Object.freeze({ kind: 'map', map: schemaExpr(map), key, type });
}

export interface TableSpec {
  readonly name: string;
  readonly fields: Readonly<Record<string, FieldDef>>;
  readonly textField?: string;
  readonly attributes?: string;
  readonly resource?: string;
}

/** Builds a descriptor, checking that `textField` names a field. */
export function defineTable(spec: TableSpec): TableDescriptor {
  if (spec.textField !== undefined && !(spec.textField in spec.fields)) {
    throw new TypeError(`defineTable(${spec.name}): textField '${spec.textField}' is not a field`);
  }
  return Object.freeze({
    name: spec.name,
    fields: Object.freeze({ ...spec.fields }),
    ...(spec.textField === undefined ? {} : { textField: spec.textField }),
    ...(spec.attributes === undefined ? {} : { attributes: schemaExpr(spec.attributes) }),
    ...(spec.resource === undefined ? {} : { resource: schemaExpr(spec.resource) }),
  });
}

/** Job columns shared by otel_logs and otel_traces. */
const JOB_FIELDS = {
  job_id: column('JobId'),
  machine_id: column('MachineId'),
  worker_id: column('WorkerId'),
  service_type: column('ServiceType'),
  dataset: column('Dataset'),
};

const body = column('Body', 'text');
const serviceName = column('ServiceName');

/** otel_logs (OpenTelemetry ClickHouse exporter schema + job columns). */
export const LOGS_TABLE: TableDescriptor = defineTable({
  name: 'otel_logs',
  fields: {
    ...JOB_FIELDS,
    connector_id: column('ConnectorId'),
    event_type: column('EventType'),
    timestamp: column('Timestamp', 'time'),
    level: column('SeverityText', 'string', { values: 'level' }),
    severity: column('SeverityNumber', 'number'),
    message: body,
    body,
    trace_id: column('TraceId'),
    span_id: column('SpanId'),
    service: serviceName,
    service_name: serviceName,
    scope: column('ScopeName'),
    duration_ms: mapKey('LogAttributes', 'duration_ms', 'number'),
  },
  textField: 'message',
  attributes: 'LogAttributes',
  resource: 'ResourceAttributes',
});

const spanName = column('SpanName');
const spanKind = column("lowerUTF8(replaceOne(SpanKind, 'SPAN_KIND_', ''))", 'string', { values: 'enum' });
const statusCode = column("lowerUTF8(replaceOne(StatusCode, 'STATUS_CODE_', ''))", 'string', { values: 'enum' });

/** A span attribute, else the same key of the resource (connector ids are often set on the resource). */
const spanOrResource = (key: string): ColumnField =>
  column(`if(SpanAttributes['${key}'] != '', SpanAttributes['${key}'], ResourceAttributes['${key}'])`);

/**
 * otel_traces; `duration_ms` is derived from `Duration` (nanoseconds).
 * `kind` and `status` compare case-insensitively with the stored words,
 * with or without their OTLP enum prefix (`kind:consumer`, `status:error`
 * also match `SPAN_KIND_CONSUMER`, `STATUS_CODE_ERROR`). Other names are span attributes
 * (`messaging.system:redis`, `http.route:/api/*`); aliases are canonical
 * names as at ingest, so `gen_ai.request.model:gpt-4o` is `model`, which
 * reads the attribute under either name (a stock collector keeps the
 * original key).
 */
export const SPANS_TABLE: TableDescriptor = defineTable({
  name: 'otel_traces',
  fields: {
    ...JOB_FIELDS,
    timestamp: column('Timestamp', 'time'),
    trace_id: column('TraceId'),
    span_id: column('SpanId'),
    parent_span_id: column('ParentSpanId'),
    name: spanName,
    span_name: spanName,
    kind: spanKind,
    span_kind: spanKind,
    service: serviceName,
    service_name: serviceName,
    duration_ms: column('Duration / 1e6', 'number'),
    status: statusCode,
    status_code: statusCode,
    status_message: column('StatusMessage'),
    scope: column('ScopeName'),
    connector_id: spanOrResource('connector_id'),
    model: column("if(SpanAttributes['model'] != '', SpanAttributes['model'], SpanAttributes['gen_ai.request.model'])"),
  },
  textField: 'name',
  attributes: 'SpanAttributes',
  resource: 'ResourceAttributes',
});

export const JOB_STATE_FIELDS = [
  'job_id', 'status', 'service_type', 'model', 'machine_id', 'worker_id',
  'error_type', 'duration_ms', 'queue_wait_ms', 'attempts', 'trace_id',
] as const;
export type JobStateField = (typeof JOB_STATE_FIELDS)[number];

const timeNullable = { type: 'time', nullable: true } as const;
const numberNullable = { type: 'number', nullable: true } as const;

/** Types of job-state names, for expressions given as plain strings. Others are exact strings. */
const JOB_STATE_TYPES: Readonly<Record<string, ColumnOptions & { type?: FieldType }>> = {
  status: { values: 'lowercase' },
  error_type: { values: 'lowercase' },
  duration_ms: numberNullable,
  queue_wait_ms: numberNullable,
  attempts: { type: 'number' },
  retries: { type: 'number' },
  events: { type: 'number' },
  progress: { type: 'number' },
  submitted_at: timeNullable,
  started_at: timeNullable,
  finished_at: timeNullable,
  first_event_at: { type: 'time' },
  last_event_at: { type: 'time' },
};

/** Default expressions: the store's own (store/schema/job-states.ts), so the two cannot drift. */
const JOB_STATE_DEFAULTS: Readonly<Record<JobStateField, string>> = Object.fromEntries(
  JOB_STATE_FIELDS.map((f) => [f, JOB_STATE_COLUMNS[f]!]),
) as Record<JobStateField, string>;

function jobStateColumn(name: string, expr: string): ColumnField {
  const t = Object.hasOwn(JOB_STATE_TYPES, name) ? JOB_STATE_TYPES[name] : {};
  return column(expr, t.type ?? 'string', t);
}

/**
 * The per-job state table, queried in a HAVING clause over aggregate
 * expressions (`… GROUP BY Dataset, JobId HAVING <compiled>`). `exprs` maps
 * field names to trusted expressions (e.g. the store's JOB_STATE_COLUMNS) or
 * full FieldDefs; it extends and overrides the defaults. A string takes its
 * type from the name (`*_at` times, counts and `*_ms` numbers, `status` and
 * `error_type` lowercase words). No text field: free text is refused.
 */
export function jobStatesTable(exprs: Readonly<Record<string, string | FieldDef>> = {}): TableDescriptor {
  const fields: Record<string, FieldDef> = {};
  for (const [name, expr] of Object.entries({ ...JOB_STATE_DEFAULTS, ...exprs })) {
    fields[name] = typeof expr === 'string' ? jobStateColumn(name, expr) : expr;
  }
  return defineTable({ name: 'job_states', fields });
}

export const JOB_STATES_TABLE: TableDescriptor = jobStatesTable();
