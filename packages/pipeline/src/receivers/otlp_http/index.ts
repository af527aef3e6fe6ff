export { otlpHttpReceiver, type OtlpConsumer, type ReceivedMeta } from './receiver.js';
export { DEFAULT_OTLP_HTTP_CONFIG, validateOtlpHttpConfig, type OtlpHttpReceiverConfig } from './config.js';
