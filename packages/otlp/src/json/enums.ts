/** Enum value names accepted in OTLP/JSON (senders must use numbers; some send names). */

function severityNumbers(): Record<string, number> {
  const out: Record<string, number> = { SEVERITY_NUMBER_UNSPECIFIED: 0 };
  const levels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
  levels.forEach((level, i) => {
    out[`SEVERITY_NUMBER_${level}`] = i * 4 + 1;
    for (let k = 2; k <= 4; k++) out[`SEVERITY_NUMBER_${level}${k}`] = i * 4 + k;
  });
  return out;
}

/** logs/v1 SeverityNumber: TRACE=1..4, DEBUG=5..8, INFO=9..12, WARN=13..16, ERROR=17..20, FATAL=21..24. */
export const SEVERITY_NUMBERS: Readonly<Record<string, number>> = Object.freeze(severityNumbers());

/** trace/v1 Span.SpanKind. */
export const SPAN_KINDS: Readonly<Record<string, number>> = Object.freeze({
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
});

/** trace/v1 Status.StatusCode. */
export const STATUS_CODES: Readonly<Record<string, number>> = Object.freeze({
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
});

/** metrics/v1 AggregationTemporality. */
export const AGGREGATION_TEMPORALITIES: Readonly<Record<string, number>> = Object.freeze({
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
});
