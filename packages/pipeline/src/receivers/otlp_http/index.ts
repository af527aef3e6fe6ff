export { otlpHttpReceiver, type OtlpConsumer, type OtlpHttpReceiverHooks, type ReceivedMeta } from './receiver.js';
export { DEFAULT_OTLP_HTTP_CONFIG, validateOtlpHttpConfig, type OtlpHttpReceiverConfig } from './config.js';
