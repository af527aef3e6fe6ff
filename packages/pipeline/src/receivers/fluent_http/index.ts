export { fluentHttpReceiver, FLUENT_HTTP_SCOPE, FLUENT_TAG_ATTRIBUTE } from './receiver.js';
export { DEFAULT_FLUENT_HTTP_CONFIG, validateFluentHttpConfig, type FluentHttpReceiverConfig } from './config.js';
export { tagOf } from './tag.js';
