// The bench's baseline: the thinnest possible express → grpc-js path, in its own process like the platform. One
// GET route that makes one unary gRPC call to an in-process echo server (the standard health Check, no auth, no
// validation, no database) and answers its JSON. Prints {"url": …} on stdout once listening.
import { credentials, Server, ServerCredentials, type ServiceDefinition } from '@grpc/grpc-js';
import express from 'express';
import type { AddressInfo } from 'node:net';

interface Echo {
  text: string;
}
const codec = {
  serialize: (v: Echo) => Buffer.from(v.text),
  deserialize: (b: Buffer): Echo => ({ text: b.toString() }),
};
const definition: ServiceDefinition = {
  echo: { path: '/bench.Echo/Echo', requestStream: false, responseStream: false, requestSerialize: codec.serialize, requestDeserialize: codec.deserialize, responseSerialize: codec.serialize, responseDeserialize: codec.deserialize },
};

async function main(): Promise<void> {
  const server = new Server();
  server.addService(definition, { echo: (call: { request: Echo }, cb: (e: null, r: Echo) => void) => cb(null, { text: call.request.text }) });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  const { makeGenericClientConstructor } = await import('@grpc/grpc-js');
  const Client = makeGenericClientConstructor(definition, 'Echo');
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure()) as unknown as { echo(r: Echo, cb: (e: Error | null, r: Echo) => void): void };
  const app = express();
  app.get('/echo/:id', (req, res, next) => {
    client.echo({ text: req.params.id }, (err, reply) => (err ? next(err) : res.json({ id: reply.text })));
  });
  const http = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` })}\n`);
  });
  process.on('SIGTERM', () => {
    http.close();
    server.forceShutdown();
    process.exit(0);
  });
}

void main();
