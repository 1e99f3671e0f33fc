import type { FieldViolation } from '@csm/platform/errors';
import type { z } from 'zod';

/** Where a value came from; field paths in problems start with it (`body.contact.email`, `query.limit`, `path.caseId`). */
export type InputPart = 'path' | 'query' | 'body';

/** Parses one part of a request; every zod issue becomes a field violation naming the field and the rule. */
export function parsePart<T>(part: InputPart, schema: z.ZodType<T> | undefined, value: unknown): { ok: true; value: T } | { ok: false; violations: FieldViolation[] } {
  if (schema === undefined) {
    // No schema: nothing may be sent there (unknown query parameters / a body on a bodiless route are an error).
    const empty = value === undefined || (typeof value === 'object' && value !== null && Object.keys(value).length === 0);
    if (empty) return { ok: true, value: undefined as T };
    const names = typeof value === 'object' && value !== null ? Object.keys(value) : [''];
    return { ok: false, violations: names.map((n) => ({ field: n ? `${part}.${n}` : part, description: 'not accepted by this operation', rule: 'UNKNOWN_FIELD' })) };
  }
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, violations: result.error.issues.map((issue) => violationOf(part, issue)) };
}

function violationOf(part: InputPart, issue: z.core.$ZodIssue): FieldViolation {
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [...issue.path.map(String), ...(keys.length === 1 ? keys : [])];
  const field = [part, ...path].join('.');
  return { field, description: describe(issue), rule: RULES[issue.code] ?? issue.code.toUpperCase() };
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  return issue.message;
}

const RULES: Readonly<Record<string, string>> = {
  invalid_type: 'TYPE',
  too_big: 'MAX',
  too_small: 'MIN',
  invalid_format: 'FORMAT',
  invalid_value: 'ENUM',
  unrecognized_keys: 'UNKNOWN_FIELD',
  invalid_union: 'ONE_OF',
  custom: 'INVALID',
};
