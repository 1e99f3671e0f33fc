/**
 * Helpers for integration tests against real infrastructure (`@csm/platform/testing`): where it is, and
 * throw-away databases and topics with unique names so test files never see each other's data.
 * Test-only: never import this from service code.
 */
export { testInfra, type TestInfra } from './infra';
export { uniqueName } from './unique-name';
export { createTestDatabase, type TestDatabase } from './postgres';
export { createTestTopics, deleteTestTopics } from './kafka';
export { createTestMongoDb, type TestMongoDb } from './mongo';
export { runServiceLifecycle, runSqlServiceLifecycle, type LifecycleResult } from './service-lifecycle';
