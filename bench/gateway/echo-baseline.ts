// The bench's baseline: the thinnest possible express → grpc-js path, in its own process like the platform. One
// GET route that makes one unary gRPC call to an in-process echo server (the standard health Check, no auth, no
// validation, no database) and answers its JSON. Prints {"url": …} on stdout once listening.
//
// The 360's floor, with two such processes (as a gateway and its services in cluster mode use both cores):
// BENCH_ECHO_ROLE=server serves only the gRPC echo (prints {"grpcPort": …}); BENCH_ECHO_UPSTREAM=<port> adds the route
// GET /fanout/:id making the 360's four calls to that process in the 360's order — profile ∥ loyalty (member, balance
// and tier in one call) ∥ cases, the last flight after the profile — with tiny messages and no auth, validation or
// database.
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
  if (process.env.BENCH_ECHO_ROLE === 'server') {
    process.stdout.write(`${JSON.stringify({ grpcPort: port })}\n`);
    process.on('SIGTERM', () => process.exit(0));
    return;
  }
  const { makeGenericClientConstructor } = await import('@grpc/grpc-js');
  const Client = makeGenericClientConstructor(definition, 'Echo');
  type EchoClient = { echo(r: Echo, cb: (e: Error | null, r: Echo) => void): void };
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure()) as unknown as EchoClient;
  const app = express();
  app.get('/echo/:id', (req, res, next) => {
    client.echo({ text: req.params.id }, (err, reply) => (err ? next(err) : res.json({ id: reply.text })));
  });
  const upstreamPort = process.env.BENCH_ECHO_UPSTREAM;
  if (upstreamPort) {
    const upstream = new Client(`127.0.0.1:${upstreamPort}`, credentials.createInsecure()) as unknown as EchoClient;
    const call = (text: string) => new Promise<string>((resolve, reject) => upstream.echo({ text }, (err, r) => (err ? reject(err) : resolve(r.text))));
    app.get('/fanout/:id', (req, res, next) => {
      const id = req.params.id;
      const profile = call(id);
      const member = call(id);
      const open = call(id);
      const flight = profile.then((p) => call(p));
      Promise.all([profile, member, open, flight]).then(([p, m, c, f]) => res.json({ p, m, c, f }), next);
    });
  }
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
