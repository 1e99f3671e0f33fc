import { cachedVerifier, createDevIssuer, type Principal } from '../src/security';

describe('cachedVerifier', () => {
  it('verifies a token once within its max age, and again after it or after the token expired', async () => {
    const dev = await createDevIssuer();
    const inner = dev.verifier();
    let calls = 0;
    let now = Date.now();
    const verify = cachedVerifier(
      async (t) => {
        calls += 1;
        return inner.verify(t);
      },
      { maxAgeMs: 1_000, now: () => now },
    );
    const token = await dev.issue({ sub: 'a1', roles: ['agent_l1'], ttlSec: 2 });
    const p1 = await verify(token);
    const p2 = await verify(token);
    expect(p1).toBe(p2);
    expect(calls).toBe(1);
    now += 1_001;
    await verify(token);
    expect(calls).toBe(2);
    // Never cached past the token's own exp (2 s): after it, the underlying verifier decides again.
    await verify(token);
    expect(calls).toBe(2);
    now += 1_500;
    await verify(token).catch(() => undefined);
    expect(calls).toBe(3);
  });

  it('does not cache failures and evicts the least recently used token', async () => {
    let calls = 0;
    const p: Principal = { subject: 's', roles: [], scopes: [] };
    const verify = cachedVerifier(
      async (t) => {
        calls += 1;
        if (t === 'bad') throw new Error('bad token');
        return p;
      },
      { maxEntries: 2 },
    );
    await expect(verify('bad')).rejects.toThrow('bad token');
    await expect(verify('bad')).rejects.toThrow('bad token');
    expect(calls).toBe(2);
    await verify('a');
    await verify('b');
    await verify('a'); // a is now the most recent
    await verify('c'); // evicts b
    calls = 0;
    await verify('a');
    await verify('c');
    expect(calls).toBe(0);
    await verify('b');
    expect(calls).toBe(1);
  });
});
