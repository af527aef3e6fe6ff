export { MemoryDecisionChannel } from './channel.js';
export { JobAwareSampler, headSampled } from './ratio.js';
export { JobSamplingProcessor, asSampled, type SpanSink } from './processor.js';
export type { SamplingOptions } from './options.js';
