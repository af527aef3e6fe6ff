/**
 * Test support for the span helpers: the official SDK's BasicTracerProvider
 * with an InMemorySpanExporter behind a SimpleSpanProcessor, the
 * AsyncLocalStorage context manager, and a tracer wrapper that counts
 * end() per span (the SDK ignores a second end(), so the exporter alone
 * cannot show one). Used by the *.test.ts files only.
 */
import { context, trace, type Context, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

export interface TestTracing {
  exporter: InMemorySpanExporter;
  provider: BasicTracerProvider;
  /** Counts end() calls per span id. */
  tracer: Tracer;
  ends: Map<string, number>;
  spans(): ReadableSpan[];
  byName(name: string): ReadableSpan;
  allByName(name: string): ReadableSpan[];
  reset(): void;
  shutdown(): Promise<void>;
}

export function setupTracing(opts: { global?: boolean } = {}): TestTracing {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  if (opts.global === true) trace.setGlobalTracerProvider(provider);
  const inner = provider.getTracer('jobscope-test');
  const ends = new Map<string, number>();
  const count = (span: Span): Span => {
    const end = span.end.bind(span);
    span.end = (t) => {
      const id = span.spanContext().spanId;
      ends.set(id, (ends.get(id) ?? 0) + 1);
      end(t);
    };
    return span;
  };
  const tracer: Tracer = {
    startSpan(name: string, options?: SpanOptions, ctx?: Context): Span {
      return count(inner.startSpan(name, options, ctx));
    },
    startActiveSpan: ((name: string, ...rest: unknown[]) => (inner.startActiveSpan as (...a: unknown[]) => unknown)(name, ...rest)) as Tracer['startActiveSpan'],
  };
  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  const allByName = (name: string): ReadableSpan[] => spans().filter((s) => s.name === name);
  return {
    exporter, provider, tracer, ends, spans, allByName,
    byName(name) {
      const found = allByName(name);
      if (found.length !== 1) throw new Error(`expected one span "${name}", got ${found.length}: ${spans().map((s) => s.name).join(', ')}`);
      return found[0];
    },
    reset() {
      exporter.reset();
      ends.clear();
    },
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}

/** The parent span id of a finished span ('' for a root). */
export function parentOf(s: ReadableSpan): string {
  return s.parentSpanContext?.spanId ?? '';
}

export function idOf(s: ReadableSpan): string {
  return s.spanContext().spanId;
}
