/**
 * A MongoDB connection string safe to log: the password is replaced by `***`. Works for multi-host
 * (`mongodb://a:1,b:2/db`) and `mongodb+srv://` strings, which WHATWG URL can't parse.
 */
export function redactMongoUrl(url: string): string {
  return url.replace(/^(mongodb(?:\+srv)?:\/\/[^:@/]*):[^@/]*@/, '$1:***@');
}

/**
 * `url` with its database path set to `dbName`, keeping hosts, credentials and query options.
 * Throws when `url` is not a mongodb:// or mongodb+srv:// connection string.
 */
export function withMongoDbName(url: string, dbName: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?(\?.*)?$/.exec(url);
  if (!m) throw new Error(`not a MongoDB connection string: ${redactMongoUrl(url)}`);
  return `${m[1]}/${encodeURIComponent(dbName)}${m[3] ?? ''}`;
}
