import { createConnection, ConnectionStates, type Connection } from 'mongoose';
import { fallbackMongoLogger, type MongoLogger } from './logger';
import { redactMongoUrl } from './redact-url';

export interface ConnectMongoOptions {
  /** mongodb:// or mongodb+srv:// connection string (e.g. CSM_MONGO_URL). */
  url: string;
  /** Database to use; overrides the URL's path. One of the two is required (never mongoose's silent `test`). */
  dbName?: string;
  logger?: MongoLogger;
  /** Shown by the server in currentOp/logs; defaults to `csm`. */
  appName?: string;
  /**
   * Let mongoose build each model's indexes in the background as the model is compiled. Off by default:
   * a service calls `syncIndexes()` once at start-up after registering its models, so a missing or
   * conflicting index fails start-up instead of surfacing later as a slow query or a silent duplicate.
   */
  autoIndex?: boolean;
  /** How long an operation waits for a usable server before failing (ms, default 10 000). */
  serverSelectionTimeoutMS?: number;
  /** TCP connect timeout (ms, default 10 000). */
  connectTimeoutMS?: number;
  /** Idle socket timeout (ms, default 60 000); longer than any query a service should run. */
  socketTimeoutMS?: number;
  /** Connection pool size per server (default 20). */
  maxPoolSize?: number;
}

export interface MongoStore {
  /** A dedicated mongoose Connection (not the global one): register models with `connection.model(...)`. */
  readonly connection: Connection;
  readonly dbName: string;
  /**
   * Creates the indexes every registered model declares and drops indexes no schema declares (mongoose's
   * `syncIndexes`). Call once at start-up, after registering models. Returns the dropped index names per model.
   */
  syncIndexes(): Promise<Record<string, string[]>>;
  /** Health: resolves when the server answers `ping` within `timeoutMs` (default 2 000), rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  /** Closes the connection and its pool; safe to call more than once. */
  close(): Promise<void>;
}

function dbNameFromUrl(url: string): string | undefined {
  const m = /^mongodb(?:\+srv)?:\/\/[^/?]+\/([^?]+)/.exec(url);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Opens a dedicated mongoose connection and waits until it is usable. Rejects with one clear error naming
 * the (password-redacted) URL when the server can't be reached within `serverSelectionTimeoutMS`.
 *
 * Only features that real MongoDB and FerretDB v1 share are assumed: no multi-document transactions,
 * change streams, `$lookup`, collation, or `findOneAndUpdate` with a projection.
 */
export async function connectMongo(options: ConnectMongoOptions): Promise<MongoStore> {
  const logger = options.logger ?? fallbackMongoLogger;
  const safeUrl = redactMongoUrl(options.url);
  const dbName = options.dbName ?? dbNameFromUrl(options.url);
  if (!dbName) {
    throw new Error(`MongoDB database name missing: pass dbName or put it in the URL path (${safeUrl})`);
  }
  const autoIndex = options.autoIndex ?? false;

  const connection = createConnection(options.url, {
    dbName,
    appName: options.appName ?? 'csm',
    autoIndex,
    autoCreate: autoIndex,
    // Fail fast instead of queueing operations while disconnected; the driver retries server selection.
    bufferCommands: false,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    connectTimeoutMS: options.connectTimeoutMS ?? 10_000,
    socketTimeoutMS: options.socketTimeoutMS ?? 60_000,
    maxPoolSize: options.maxPoolSize ?? 20,
  });

  let closing = false;
  let connected = false; // before the first connect, asPromise() reports failures instead of the events
  connection.on('disconnected', () => {
    if (connected && !closing) logger.warn({ db: dbName }, 'mongo disconnected');
  });
  connection.on('reconnected', () => logger.info({ db: dbName }, 'mongo reconnected'));
  connection.on('error', (err: unknown) => {
    if (connected && !closing) logger.error({ db: dbName, err: { message: message(err) } }, 'mongo connection error');
  });

  try {
    await connection.asPromise();
  } catch (err) {
    closing = true;
    // The connect error below is the one that matters; a failing cleanup is only worth a warning.
    await connection.close(true).catch((closeErr: unknown) => {
      logger.warn({ db: dbName, err: { message: message(closeErr) } }, 'mongo close after failed connect failed');
    });
    throw new Error(`MongoDB not reachable at ${safeUrl} (db ${dbName}): ${message(err)}`, { cause: err });
  }
  connected = true;
  logger.info({ db: dbName, url: safeUrl, autoIndex }, 'mongo connected');

  const store: MongoStore = {
    connection,
    dbName,

    async syncIndexes() {
      const result = await connection.syncIndexes();
      const dropped: Record<string, string[]> = {};
      for (const [model, names] of Object.entries(result)) {
        dropped[model] = [...names];
        if (names.length > 0) logger.info({ db: dbName, model, dropped: [...names] }, 'mongo dropped undeclared indexes');
      }
      return dropped;
    },

    async ping(timeoutMs = 2_000) {
      if (connection.readyState !== ConnectionStates.connected) {
        throw new Error(`MongoDB connection is not open (state ${ConnectionStates[connection.readyState]})`);
      }
      const db = connection.db;
      if (!db) throw new Error('MongoDB connection has no database handle');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`MongoDB ping timed out after ${timeoutMs} ms`)), timeoutMs);
        timer.unref();
      });
      try {
        await Promise.race([db.command({ ping: 1 }), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },

    async close() {
      if (closing && connection.readyState === ConnectionStates.disconnected) return;
      closing = true;
      await connection.close();
    },
  };
  return store;
}
