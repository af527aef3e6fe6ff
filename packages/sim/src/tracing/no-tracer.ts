/**
 * A tracer whose spans go nowhere, for a fleet run without tracing: the
 * worker's code path stays the same, and a global tracer provider that a
 * test (or another library) registered is not picked up by accident.
 */
import { INVALID_SPAN_CONTEXT, context, trace, type Span, type Tracer } from '@opentelemetry/api';

const span = (): Span => trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export const NO_TRACER: Tracer = {
  startSpan: span,
  startActiveSpan: ((_name: string, ...rest: unknown[]) => {
    const fn = rest[rest.length - 1] as (s: Span) => unknown;
    const s = span();
    return context.with(trace.setSpan(context.active(), s), () => fn(s));
  }) as Tracer['startActiveSpan'],
};
