import type { EventBus } from '../events/ports';
import type { Logger } from '../logging/logger';
import type { Principal } from '../security/principal';

/** What a service's `service.ts` exports: the same entry for cluster mode (main.ts) and the embedded launcher. */
export interface ServiceModule<C> {
  start(context: ServiceContext<C>): Promise<RunningService>;
  /**
   * `main.js --migrate-only` (the Helm pre-install/pre-upgrade Job): open the store, apply migrations / build indexes,
   * close, and return — no server, no consumers. Services without a store don't export it.
   */
  migrate?(context: ServiceContext<C>): Promise<void>;
}

export interface ServiceContext<C> {
  readonly config: C;
  readonly logger: Logger;
  /**
   * Embedded mode: the launcher's in-process event bus, shared by every service in the process. Unset in cluster mode,
   * where a service opens Kafka itself (see `openServiceEventBus`).
   */
  readonly bus?: EventBus;
  /** Embedded mode: the launcher's dev-issuer token verifier (see `serviceTokenVerifier`). */
  readonly verifyToken?: (token: string) => Promise<Principal>;
}

export interface RunningService {
  readonly name: string;
  /** The bound gRPC (or, for the gateway, HTTP) port. */
  readonly port: number;
  /**
   * Stops in the DESIGN's order: mark NOT_SERVING and drain the server, stop consumers and relays, close stores.
   * Idempotent.
   */
  stop(): Promise<void>;
}
