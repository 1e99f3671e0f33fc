import type { Metadata } from '@grpc/grpc-js';
import type { Logger } from '../logging/logger';
import { ANONYMOUS, type Principal } from '../security/principal';

/** What the kit's interceptors learn about a call before the handler runs. */
export interface CallScope {
  readonly principal: Principal;
  readonly logger: Logger;
  /** Error domain (the service name) for google.rpc.ErrorInfo. */
  readonly domain: string;
}

// Interceptors cannot hand values to handlers directly; the request Metadata object they pass on is the one the
// handler receives as `call.metadata`, so it serves as the key.
const scopes = new WeakMap<Metadata, CallScope>();

export function attachScope(metadata: Metadata, scope: CallScope): void {
  scopes.set(metadata, scope);
}

export function scopeOf(call: { readonly metadata: Metadata }): CallScope | undefined {
  return scopes.get(call.metadata);
}

/** The verified caller of a server call (ANONYMOUS when no bearer token was sent). Works in raw grpc-js handlers. */
export function principalOf(call: { readonly metadata: Metadata }): Principal {
  return scopes.get(call.metadata)?.principal ?? ANONYMOUS;
}
