/** Identifiers: the ULIDs behind DESIGN's prefixed ids (`pax_…`, `case_…`) and event ids. */
export { ulid } from './ulid';
