/** Public API of the Fluent forward receiver. */
export { createForwardReceiver, type ForwardReceiver } from './receiver.js';
export {
  DEFAULT_FORWARD_RECEIVER_CONFIG, resolveForwardReceiverConfig, validateForwardReceiverConfig, type ForwardReceiverConfig,
} from './config.js';
export type { ForwardReceiverStats } from './stats.js';
export { FORWARD_SCOPE_NAME } from './connection.js';
