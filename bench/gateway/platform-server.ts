// The whole platform in embedded mode in its own process (as `npm start` runs it), seeded with the demo data, with
// the rate limiter off (the bench is one client). Prints {"url", "tokens", "demo"} on stdout once ready.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPlatform } from '@csm/embedded';

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'csm-bench-gateway-'));
  const platform = await startEmbeddedPlatform({ dataDir, ports: 'ephemeral', seed: true, env: { ...process.env, CSM_RATE_LIMIT_MAX: '0', CSM_LOG_LEVEL: 'warn' } });
  process.stdout.write(`${JSON.stringify({ url: platform.gatewayUrl, tokens: platform.tokens, demo: platform.demo })}\n`);
  process.on('SIGTERM', () => {
    void platform.stop().then(() => process.exit(0));
  });
}

void main();
