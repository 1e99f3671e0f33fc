import type { Server } from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';

/**
 * The standard grpc.health.v1 service. The overall status ("") and each named service start NOT_SERVING: a
 * service is only ready once its stores and consumers are up (markServing), and stops being ready while it drains.
 */
export class HealthStatus {
  private readonly impl: HealthImplementation;
  private current: ServingStatus = 'NOT_SERVING';

  constructor(private readonly serviceNames: readonly string[]) {
    this.impl = new HealthImplementation(Object.fromEntries(['', ...serviceNames].map((name) => [name, 'NOT_SERVING' as const])));
  }

  addToServer(server: Server): void {
    this.impl.addToServer(server);
  }

  set(status: ServingStatus): void {
    this.current = status;
    for (const name of ['', ...this.serviceNames]) this.impl.setStatus(name, status);
  }

  get status(): ServingStatus {
    return this.current;
  }
}
