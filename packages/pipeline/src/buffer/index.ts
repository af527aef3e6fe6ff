/** Public API of the buffers: the disk log (WAL / disk buffer / spool). */
export { DiskLog, type DiskLogStats, type DiskLogCursorStats } from './disk/disk-log.js';
export { DiskLogCursor, type LogRecord } from './disk/cursor.js';
export type { DiskLogOptions, FsyncPolicy, OnFullPolicy, CorruptionEvent } from './disk/config.js';
export { DEFAULT_SEGMENT_BYTES } from './disk/config.js';
export { DiskLogFullError, DiskLogClosedError, DiskLogRecordTooLargeError } from './disk/errors.js';
export {
  encodeTelemetryRecord, readTelemetryHeader, telemetryPayload, TELEMETRY_HEADER_BYTES, type TelemetryRecordHeader,
} from './telemetry-record.js';
