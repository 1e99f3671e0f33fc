/**
 * The mongoose connection helper (`@csm/platform/stores/mongo`): one dedicated connection per service,
 * explicit index sync at start-up, a ping for health, and a clean close on shutdown.
 */
export { connectMongo, type ConnectMongoOptions, type MongoStore } from './connect-mongo';
export { isDuplicateKeyError, DUPLICATE_KEY_CODE } from './duplicate-key';
export { redactMongoUrl, withMongoDbName } from './redact-url';
export { fallbackMongoLogger, type MongoLogger } from './logger';
