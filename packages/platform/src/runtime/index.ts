// How a service boots: the fixed entry order and the module shape shared by main.ts and the embedded launcher.
export { bootService, type BootOptions } from './boot-service';
export type { RunningService, ServiceContext, ServiceModule } from './service-module';
