import {
  Server,
  ServerCredentials,
  type ServerOptions,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Logger } from '../logging/logger';
import { authInterceptor, type VerifyToken } from './auth-interceptor';
import { deadlineInterceptor } from './deadline-interceptor';
import { errorInterceptor } from './error-interceptor';
import { HealthStatus } from './health';
import { InFlightCalls } from './in-flight';
import { loggingInterceptor } from './logging-interceptor';
import { metricsInterceptor } from './metrics-interceptor';
import { addReflection } from './reflection';

/** A service to serve: ts-proto's `XServiceService` definition and an implementation (`XServiceServer`). */
export interface ServiceRegistration {
  readonly definition: ServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  /** Used as the log/metrics label and as the error domain in google.rpc.ErrorInfo. */
  readonly serviceName: string;
  readonly logger: Logger;
  /** 0 picks a free port (tests); the bound port is on the result. */
  readonly port: number;
  /** Default 0.0.0.0. */
  readonly host?: string;
  readonly services: readonly ServiceRegistration[];
  /** Bearer-token verifier; without it every call is ANONYMOUS. */
  readonly verifyToken?: VerifyToken;
  /** Fully-qualified names reported by the health service; default: the services registered above. */
  readonly healthCheckedServices?: readonly string[];
  /** Reflection is served when a FileDescriptorSet path is given. */
  readonly reflection?: { readonly descriptorSetPath?: string };
  readonly credentials?: ServerCredentials;
  /** grpc-js channel options (message sizes, keepalive). */
  readonly serverOptions?: Omit<ServerOptions, 'interceptors'>;
}

export interface GrpcServer {
  readonly port: number;
  /** The underlying grpc-js server (already listening). */
  readonly server: Server;
  /** Reports SERVING for "" and every checked service: call once stores and consumers are up. */
  markServing(): void;
  markNotServing(): void;
  /** Calls received and not yet finished. */
  inFlightCalls(): number;
  /**
   * Graceful stop: NOT_SERVING, stop accepting calls, let in-flight calls finish for up to `graceMs` (default
   * 10 s), then cancel whatever is left. Idempotent.
   */
  shutdown(options?: { readonly graceMs?: number }): Promise<void>;
}

/**
 * Creates, binds and starts a gRPC server with the kit's health service (NOT_SERVING until markServing),
 * optional reflection, and interceptors for logging, metrics, deadlines, auth context and error mapping.
 */
export async function createGrpcServer(options: GrpcServerOptions): Promise<GrpcServer> {
  const logger = options.logger.child({ component: 'grpc-server' });
  const inFlight = new InFlightCalls();
  // grpc-js applies them wire-first: index 0 sees a call first and its final status last.
  const server = new Server({
    ...options.serverOptions,
    interceptors: [
      loggingInterceptor(logger),
      metricsInterceptor(),
      inFlight.interceptor(),
      deadlineInterceptor(),
      authInterceptor({ logger: options.logger, domain: options.serviceName, ...(options.verifyToken ? { verifyToken: options.verifyToken } : {}) }),
      errorInterceptor(logger, options.serviceName),
    ],
  });

  for (const { definition, implementation } of options.services) server.addService(definition, implementation);
  const health = new HealthStatus(options.healthCheckedServices ?? options.services.flatMap((s) => serviceNamesOf(s.definition)));
  health.addToServer(server);
  if (options.reflection?.descriptorSetPath !== undefined) addReflection(server, options.reflection.descriptorSetPath);

  const address = `${options.host ?? '0.0.0.0'}:${options.port}`;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, options.credentials ?? ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  logger.info({ port, services: options.services.flatMap((s) => serviceNamesOf(s.definition)) }, 'grpc server listening');

  let stopping: Promise<void> | undefined;
  const shutdown = ({ graceMs = 10_000 }: { readonly graceMs?: number } = {}): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      health.set('NOT_SERVING');
      logger.info({ inFlight: inFlight.value, graceMs }, 'grpc server draining');
      const timer = setTimeout(() => {
        logger.warn({ inFlight: inFlight.value }, 'grace period over; cancelling remaining calls');
        server.forceShutdown();
        resolve();
      }, graceMs);
      server.tryShutdown((err) => {
        clearTimeout(timer);
        if (err) logger.warn({ err }, 'grpc server shutdown reported an error');
        logger.info('grpc server stopped');
        resolve();
      });
    });
    return stopping;
  };

  return {
    port,
    server,
    markServing: () => {
      if (stopping !== undefined) return; // never ready again once draining
      health.set('SERVING');
      logger.info('grpc server serving');
    },
    markNotServing: () => health.set('NOT_SERVING'),
    inFlightCalls: () => inFlight.value,
    shutdown,
  };
}

function serviceNamesOf(definition: ServiceDefinition): string[] {
  const names = new Set<string>();
  for (const method of Object.values(definition)) {
    const [service] = method.path.split('/').filter((part) => part.length > 0);
    if (service !== undefined) names.add(service);
  }
  return [...names];
}
