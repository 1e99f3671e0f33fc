import { existsSync } from 'node:fs';
import path from 'node:path';

// The FileDescriptorSet built by `buf build` (all csm protos plus their imports,
// no source info) lives at packages/contracts/gen/csm.binpb, outside src/ so the
// TypeScript build never has to copy it. This module sits directly under src/
// (tests, ts-jest) or dist/ (built package); both are siblings of gen/.
const DESCRIPTOR_SET = path.resolve(__dirname, '..', 'gen', 'csm.binpb');

/**
 * Absolute path of the binary FileDescriptorSet for gRPC server reflection.
 * Throws (naming the path) when it is missing: run `npm run gen -w @csm/contracts`.
 */
export function descriptorSetPath(): string {
  if (existsSync(DESCRIPTOR_SET)) return DESCRIPTOR_SET;
  throw new Error(`contracts: descriptor set not found at ${DESCRIPTOR_SET}; run "npm run gen -w @csm/contracts"`);
}
