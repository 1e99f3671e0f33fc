import { credentials, makeClientConstructor, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

export type RemoteHealth = 'SERVING' | 'NOT_SERVING' | 'UNKNOWN' | 'SERVICE_UNKNOWN' | 'UNREACHABLE';

const HealthClient = makeClientConstructor(healthService, 'grpc.health.v1.Health');

type CheckFn = (
  req: { service: string },
  md: Metadata,
  opts: { deadline: Date },
  cb: (err: ServiceError | null, res?: { status?: string | number }) => void,
) => void;

const STATUS_NAMES: Record<number, RemoteHealth> = { 0: 'UNKNOWN', 1: 'SERVING', 2: 'NOT_SERVING', 3: 'SERVICE_UNKNOWN' };

/**
 * Asks a server's standard grpc.health.v1 service for `service` ("" = the whole server) with a deadline. Never throws:
 * an unreachable server or a timeout is `UNREACHABLE`, so callers (gateway dependency status, probe tests) can report it.
 */
export function checkGrpcHealth(address: string, options: { service?: string; timeoutMs?: number } = {}): Promise<RemoteHealth> {
  const client = new HealthClient(address, credentials.createInsecure()) as unknown as Client & { Check: CheckFn };
  const deadline = new Date(Date.now() + (options.timeoutMs ?? 1_000));
  return new Promise<RemoteHealth>((resolve) => {
    client.Check({ service: options.service ?? '' }, new Metadata(), { deadline }, (err, res) => {
      client.close();
      if (err) {
        resolve(err.code === 5 /* NOT_FOUND */ ? 'SERVICE_UNKNOWN' : 'UNREACHABLE');
        return;
      }
      const s = res?.status;
      resolve(typeof s === 'number' ? (STATUS_NAMES[s] ?? 'UNKNOWN') : ((s as RemoteHealth | undefined) ?? 'UNKNOWN'));
    });
  });
}
