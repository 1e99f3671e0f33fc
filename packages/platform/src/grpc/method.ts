import type { ServerMethodDefinition } from '@grpc/grpc-js';

export type CallType = 'unary' | 'client_stream' | 'server_stream' | 'bidi_stream';

export interface MethodInfo {
  /** Full path, `/csm.cases.v1.CasesService/OpenCase`. */
  readonly path: string;
  /** Fully-qualified service, `csm.cases.v1.CasesService`. */
  readonly service: string;
  readonly method: string;
  readonly type: CallType;
}

export function methodInfo(def: Pick<ServerMethodDefinition<unknown, unknown>, 'path' | 'requestStream' | 'responseStream'>): MethodInfo {
  const [service = '', method = ''] = def.path.split('/').filter((part) => part.length > 0);
  const type: CallType = def.requestStream
    ? def.responseStream
      ? 'bidi_stream'
      : 'client_stream'
    : def.responseStream
      ? 'server_stream'
      : 'unary';
  return { path: def.path, service, method, type };
}

/** Health and reflection are infrastructure: no auth, debug-level logs. */
export function isInfrastructureMethod(path: string): boolean {
  return path.startsWith('/grpc.health.v1.Health/') || path.startsWith('/grpc.reflection.');
}
