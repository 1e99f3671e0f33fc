export { ConfigError, loadConfig, loadConfigOrExit, redactConfig, secret } from './load-config';
export type { Env } from './load-config';
export { env } from './fields';
export { mongoServiceConfigSchema, serviceConfigSchema, sqlServiceConfigSchema } from './service-config';
export type { ServiceConfig } from './service-config';
export { z } from 'zod';
