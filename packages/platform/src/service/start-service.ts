import type { ServiceConfig } from '../config/service-config';
import type { ServiceRegistration } from '../grpc/server';
import type { VerifyToken } from '../grpc/auth-interceptor';
import type { Logger } from '../logging/logger';
import type { RunningService } from '../runtime/service-module';
import { serveGrpc } from './grpc-service';
import { once } from './once';

/** A store (or consumer) the service opened: closed after the server drained, in reverse order of opening. */
export interface Closable {
  close(): Promise<void>;
}

export interface StartServiceOptions<S> {
  readonly name: string;
  readonly config: ServiceConfig;
  readonly logger: Logger;
  /** Opens stores, consumers and relays; whatever it returns is closed on stop. */
  readonly open: () => Promise<S & { readonly closables: readonly Closable[] }>;
  /** The gRPC services to serve over what `open` returned. */
  readonly register: (opened: S) => readonly ServiceRegistration[];
  /** Verifies callers' bearer tokens (the security kit's JWT verifier); without it every call is ANONYMOUS. */
  readonly verifyToken?: VerifyToken;
}

/**
 * The shape every backend service starts with: open stores → serve gRPC → SERVING only then; stop drains the server
 * first (in-flight calls may still write), then closes stores in reverse order. A failure while opening closes what
 * was opened and rethrows, so main.ts exits 1 with one fatal line.
 */
export async function startService<S>(options: StartServiceOptions<S>): Promise<RunningService> {
  const opened = await options.open();
  const closeAll = async () => {
    for (const c of [...opened.closables].reverse()) await c.close();
  };
  let server;
  try {
    server = await serveGrpc({ name: options.name, config: options.config, logger: options.logger, services: options.register(opened), ...(options.verifyToken ? { verifyToken: options.verifyToken } : {}) });
  } catch (err) {
    await closeAll();
    throw err;
  }
  server.markServing();
  const grpc = server;
  return {
    name: options.name,
    port: grpc.port,
    stop: once(async () => {
      await grpc.shutdown({ graceMs: options.config.CSM_SHUTDOWN_GRACE_MS });
      await closeAll();
    }),
  };
}
