// The floors for bench/cases/intake.ts: a bare @grpc/grpc-js server (no kit interceptors, no handler wrapper, no Kafka)
// that answers OpenCase with a response the real service produced earlier in the run.
// - transport floor: it does nothing else, so what it costs is what any gRPC call costs on this machine;
// - insert floor (after the 'insert' message): before answering it runs the bench's bare INSERT of the same row, the
//   least any intake must do: receive the call, store the case, answer;
// - batched insert floor ('insert' with batched: true): the same rows, but group-committed as the service does
//   (the kit's createGroupCommit, same window and limits): one multi-row INSERT per batch.
// Started by intake.ts with fork(); the response and the INSERT arrive over IPC.
import { Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { cases } from '@csm/contracts';
import { createGroupCommit, createPgDb, type GroupCommit, type SqlDb } from '@csm/platform/stores';

type Request =
  | { op: 'response'; base64: string }
  | { op: 'insert'; sql: string; values: unknown[]; batched?: boolean }
  | { op: 'stats-reset' } | { op: 'stats' } | { op: 'stop' };

async function main(): Promise<void> {
  let response: cases.OpenCaseResponse | undefined;
  let insert: { db: SqlDb; sql: string; values: unknown[] } | undefined;
  let group: GroupCommit<unknown[], void> | undefined;
  let seq = 0;
  const server = new Server();
  // Only OpenCase: the other methods answer UNIMPLEMENTED (grpc-js), and the bench never calls them here.
  server.addService(cases.CaseServiceService, {
    openCase: (_call: ServerUnaryCall<cases.OpenCaseRequest, cases.OpenCaseResponse>, callback: sendUnaryData<cases.OpenCaseResponse>) => {
      if (!response) return callback({ code: status.FAILED_PRECONDITION, details: 'no response loaded yet' });
      if (!insert) return callback(null, response);
      const i = seq++;
      // Same statement and row as the bench's bare INSERT; ids of their own (same widths).
      const row = [`case_flr${String(i).padStart(22, '0')}`, `CS-1998-${String(i).padStart(6, '0')}`, `floor-${i}`, ...insert.values];
      (group ? group.submit(row) : insert.db.query(insert.sql, row)).then(
        () => callback(null, response),
        (err: Error) => callback({ code: status.INTERNAL, details: err.message }),
      );
    },
  } as unknown as cases.CaseServiceServer);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });

  let cpu = process.cpuUsage();
  const send = (m: unknown) => process.send?.(m);
  process.on('message', (m: Request) => {
    if (m.op === 'response') {
      response = cases.OpenCaseResponse.decode(Buffer.from(m.base64, 'base64'));
      send({ op: 'response' });
    } else if (m.op === 'insert') {
      const url = process.env.BENCH_CASES_PG_URL;
      if (!url) throw new Error('BENCH_CASES_PG_URL is required');
      void insert?.db.close();
      const db = createPgDb({ url, max: 10 });
      insert = { db, sql: m.sql, values: m.values };
      if (m.batched) {
        // "INSERT INTO cases (...) VALUES ($1, …, $n)" → one VALUES tuple per row, numbered on.
        const [head] = m.sql.split(' VALUES ');
        const width = m.values.length + 3;
        const tuple = (k: number) => `(${Array.from({ length: width }, (_, j) => `$${k * width + j + 1}`).join(', ')})`;
        group = createGroupCommit<unknown[], void>({
          windowMs: 2,
          maxItems: 64,
          maxInFlight: 2,
          writeBatch: async (rows) => {
            await db.query(`${head} VALUES ${rows.map((_, k) => tuple(k)).join(', ')}`, rows.flat());
            return rows.map(() => undefined);
          },
          writeOne: async (row) => void (await db.query(m.sql, row)),
        });
      }
      send({ op: 'insert' });
    } else if (m.op === 'stats-reset') {
      cpu = process.cpuUsage();
      send({ op: 'stats-reset' });
    } else if (m.op === 'stats') {
      const used = process.cpuUsage(cpu);
      send({ op: 'stats', cpuMs: (used.user + used.system) / 1000, sysMs: used.system / 1000, loopP50Ms: 0, loopP99Ms: 0 });
    } else {
      server.forceShutdown();
      process.exit(0);
    }
  });
  send({ op: 'ready', port });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
