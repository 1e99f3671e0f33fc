// Entry point (cluster mode). Order is fixed: config → logger → telemetry, and only then the service module is
// loaded, so OpenTelemetry instrumentation hooks grpc-js and pg when they are first required.
import { bootService } from '@csm/platform/runtime';
import { configSchema } from './config';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate late load, see above
bootService({ name: 'cases', configSchema, load: () => require('./service') as typeof import('./service') });
