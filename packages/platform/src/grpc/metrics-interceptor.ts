import { status as GrpcCode, type ServerInterceptor } from '@grpc/grpc-js';
import { counter, histogram } from '../telemetry/metrics';
import { observeCall } from './call-observer';
import { methodInfo } from './method';

const LABELS = ['grpc_service', 'grpc_method', 'grpc_type'] as const;

/** Prometheus server metrics under the names go-grpc-prometheus made standard. */
export function metricsInterceptor(): ServerInterceptor {
  const started = counter({ name: 'grpc_server_started_total', help: 'RPCs started on the server.', labelNames: LABELS });
  const handled = counter({
    name: 'grpc_server_handled_total',
    help: 'RPCs completed on the server, regardless of success or failure.',
    labelNames: [...LABELS, 'grpc_code'],
  });
  const seconds = histogram({
    name: 'grpc_server_handling_seconds',
    help: 'Response latency of RPCs handled by the server, in seconds.',
    labelNames: LABELS,
  });
  return (definition, call) => {
    const info = methodInfo(definition);
    const labels = { grpc_service: info.service, grpc_method: info.method, grpc_type: info.type };
    started.inc(labels);
    return observeCall(call, ({ code, durationSeconds }) => {
      handled.inc({ ...labels, grpc_code: GrpcCode[code] ?? String(code) });
      seconds.observe(labels, durationSeconds);
    });
  };
}
