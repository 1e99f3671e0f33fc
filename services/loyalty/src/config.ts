import { sqlServiceConfigSchema, type z } from '@csm/platform/config';

/** Environment variables of this service (shared ones: docs/operations/configuration.md). */
export const configSchema = sqlServiceConfigSchema();
export type Config = z.infer<typeof configSchema>;
