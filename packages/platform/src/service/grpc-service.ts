import { descriptorSetPath } from '@csm/contracts';
import type { ServiceConfig } from '../config/service-config';
import { createGrpcServer, type GrpcServer, type ServiceRegistration } from '../grpc/server';
import type { VerifyToken } from '../grpc/auth-interceptor';
import type { Logger } from '../logging/logger';

export interface ServeGrpcOptions {
  readonly name: string;
  readonly config: Pick<ServiceConfig, 'CSM_GRPC_HOST' | 'CSM_GRPC_PORT'>;
  readonly logger: Logger;
  readonly services: readonly ServiceRegistration[];
  readonly verifyToken?: VerifyToken;
}

/** Every service's gRPC server: the kit's interceptors, health and reflection over all csm contracts. */
export function serveGrpc(options: ServeGrpcOptions): Promise<GrpcServer> {
  return createGrpcServer({
    serviceName: options.name,
    logger: options.logger,
    host: options.config.CSM_GRPC_HOST,
    port: options.config.CSM_GRPC_PORT,
    services: options.services,
    reflection: { descriptorSetPath: descriptorSetPath() },
    ...(options.verifyToken ? { verifyToken: options.verifyToken } : {}),
  });
}
