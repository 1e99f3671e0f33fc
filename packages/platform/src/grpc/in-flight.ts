import type { ServerInterceptor } from '@grpc/grpc-js';
import { observeCall } from './call-observer';

/** Counts calls between arrival and their final status, so a drain can say what it is waiting for. */
export class InFlightCalls {
  private count = 0;

  get value(): number {
    return this.count;
  }

  interceptor(): ServerInterceptor {
    return (_definition, call) => {
      this.count += 1;
      return observeCall(call, () => {
        this.count -= 1;
      });
    };
  }
}
