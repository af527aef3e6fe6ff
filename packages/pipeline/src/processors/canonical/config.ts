/** Configuration of the canonical processor. */
import { JobscopeError } from '@jobscope/core';

export interface CanonicalConfig {
  /** Check log records that name a service_type against its connector schema (as the SDK does). */
  validateSchemas: boolean;
}

export const DEFAULT_CANONICAL_CONFIG: Readonly<CanonicalConfig> = {
  validateSchemas: true,
};

export function validateCanonicalConfig(c: CanonicalConfig): void {
  if (typeof c.validateSchemas !== 'boolean') throw new JobscopeError('JS_CONFIG', 'canonical.validateSchemas must be true or false');
}
