/** Wraps an async action so concurrent and repeated calls share one run (stop() may be called by a signal and a test). */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let run: Promise<void> | undefined;
  return () => (run ??= fn());
}
