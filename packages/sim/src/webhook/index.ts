export { createWebhookDeliverer, type WebhookDeliverer, type WebhookOptions } from './deliverer.js';
export { createWebhookReceiver, type WebhookReceiver } from './receiver.js';
