import { readFileSync } from 'node:fs';
import type { Server } from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';

/**
 * Server reflection (grpcurl, grpcui, Postman) from a binary FileDescriptorSet such as the one `buf build` writes
 * for the contracts package. The descriptors are only read, never used to serve: handlers stay typed ts-proto code.
 */
export function addReflection(server: Server, descriptorSetPath: string): void {
  const definition = loadFileDescriptorSetFromBuffer(readFileSync(descriptorSetPath));
  new ReflectionService(definition).addToServer(server);
}
