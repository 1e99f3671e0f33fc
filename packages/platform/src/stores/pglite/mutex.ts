/**
 * A FIFO async mutex: `run(fn)` waits until every earlier holder finished. PGlite has a single connection, so the
 * adapter holds this for each transaction and each stand-alone query — a second transaction waits for the first
 * instead of interleaving its statements into it.
 */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
