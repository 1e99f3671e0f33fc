import { installSignalHandlers, ShutdownOrder, ShutdownRegistry } from '../src/lifecycle';
import { createLogger } from '../src/logging';

function setup(timeoutMs = 2_000) {
  const lines: { msg: string; level: string; step?: string }[] = [];
  const logger = createLogger({ service: 'lifecycle-test' }, { write: (l: string) => void lines.push(JSON.parse(l) as { msg: string; level: string }) });
  const registry = new ShutdownRegistry();
  const exits: number[] = [];
  const handlers = installSignalHandlers({ logger, registry, timeoutMs, signals: ['SIGUSR2'], exit: (code) => void exits.push(code) });
  return { lines, registry, exits, handlers };
}

describe('shutdown sequence', () => {
  it('runs steps by order (server → consumers → stores → telemetry) on the signal, one line each, then exits 0', async () => {
    const { lines, registry, exits, handlers } = setup();
    const ran: string[] = [];
    registry.add(() => void ran.push('stores'), ShutdownOrder.stores, 'pg pool');
    registry.add(async () => {
      await new Promise((r) => setTimeout(r, 20));
      ran.push('server');
    }, ShutdownOrder.server, 'grpc server');
    registry.add(() => void ran.push('telemetry'), ShutdownOrder.telemetry, 'telemetry');
    registry.add(() => void ran.push('consumers'), ShutdownOrder.consumers, 'kafka consumers');

    process.emit('SIGUSR2', 'SIGUSR2');
    await new Promise((r) => setTimeout(r, 100));
    handlers.uninstall();

    expect(ran).toEqual(['server', 'consumers', 'stores', 'telemetry']);
    expect(exits).toEqual([0]);
    expect(lines.map((l) => l.msg)).toEqual([
      'shutdown started',
      'shutdown: grpc server done',
      'shutdown: kafka consumers done',
      'shutdown: pg pool done',
      'shutdown: telemetry done',
      'shutdown complete; exiting 0',
    ]);
  });

  it('keeps going after a failing step and exits 1', async () => {
    const { lines, registry, exits, handlers } = setup();
    const ran: string[] = [];
    registry.add(() => Promise.reject(new Error('consumer stuck')), ShutdownOrder.consumers, 'kafka consumers');
    registry.add(() => void ran.push('stores'), ShutdownOrder.stores, 'pg pool');
    expect(await handlers.shutdown('fatal start-up error')).toBe(1);
    handlers.uninstall();
    expect(ran).toEqual(['stores']);
    expect(exits).toEqual([1]);
    expect(lines.find((l) => l.msg === 'shutdown: kafka consumers failed')?.level).toBe('error');
  });

  it('exits 1 when the steps outlast the timeout', async () => {
    const { lines, registry, exits, handlers } = setup(50);
    registry.add(() => new Promise<void>((r) => setTimeout(r, 1_000)), ShutdownOrder.server, 'grpc server');
    expect(await handlers.shutdown('SIGTERM')).toBe(1);
    handlers.uninstall();
    expect(exits).toEqual([1]);
    expect(lines.at(-1)?.msg).toBe('shutdown timed out; exiting 1');
  });

  it('runs the sequence once however often it is asked', async () => {
    const { registry, exits, handlers } = setup();
    let runs = 0;
    registry.add(() => void (runs += 1), ShutdownOrder.server, 'server');
    await Promise.all([handlers.shutdown('a'), handlers.shutdown('b')]);
    handlers.uninstall();
    expect(runs).toBe(1);
    expect(exits).toEqual([0]);
  });

  it('unregisters a step', () => {
    const registry = new ShutdownRegistry();
    const remove = registry.add(() => undefined, 1, 'a');
    registry.add(() => undefined, 2, 'b');
    remove();
    expect(registry.ordered().map((s) => s.name)).toEqual(['b']);
  });
});
