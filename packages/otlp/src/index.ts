export * from './types.js';
export { decodeRequest, contentTypeOf, type Encoding } from './decode.js';
export { encodeRequest, encodeResponse, encodeStatus, rpcCodeForHttpStatus, RPC_CODES, CONTENT_TYPES } from './encode.js';
export { otlpRoot } from './proto/descriptor.js';
export { SEVERITY_NUMBERS, SPAN_KINDS, STATUS_CODES, AGGREGATION_TEMPORALITIES } from './json/enums.js';
export { writeLogsProto } from './encode-logs-proto.js';
