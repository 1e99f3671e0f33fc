// Ordered graceful shutdown on SIGTERM/SIGINT.
export { onShutdown, ShutdownOrder, shutdownRegistry, ShutdownRegistry, type ShutdownFn, type ShutdownStep } from './shutdown-registry';
export { installSignalHandlers, type SignalHandlerOptions, type SignalHandlers } from './signals';
