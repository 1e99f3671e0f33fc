import type { FieldViolation } from '@csm/platform/errors';
import { DATA_FIELDS, type ProfileData } from './model';

const TOP = new Set<string>(DATA_FIELDS);
const NAME_SUB = new Set(['native_surname', 'native_given_name', 'latin_surname', 'latin_given_name', 'title']);

const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Checks an update mask: every path must name a settable field ("name.latin_surname" for name parts). */
export function checkUpdateMask(paths: readonly string[]): FieldViolation[] {
  if (paths.length === 0) return [{ field: 'update_mask', description: 'must name at least one field', rule: 'REQUIRED' }];
  const bad = paths.filter((p) => {
    const [head, sub, ...rest] = p.split('.');
    if (head === undefined || !TOP.has(head) || rest.length > 0) return true;
    return sub !== undefined && !(head === 'name' && NAME_SUB.has(sub));
  });
  return bad.map((p) => ({ field: 'update_mask', description: `unknown or read-only field "${p}"`, rule: 'UNKNOWN_FIELD' }));
}

/** Top-level fields touched by a mask. */
export function topFields(paths: readonly string[]): Set<string> {
  return new Set(paths.map((p) => p.split('.')[0] as string));
}

/** Applies the masked fields of `patch` onto `base` (repeated fields are replaced as a whole). */
export function applyUpdateMask(base: ProfileData, patch: ProfileData, paths: readonly string[]): ProfileData {
  const out = { ...base } as Record<string, unknown>;
  const src = patch as unknown as Record<string, unknown>;
  for (const path of paths) {
    const [head, sub] = path.split('.') as [string, string | undefined];
    if (sub === undefined) out[camel(head)] = src[camel(head)];
    else {
      const baseName = { ...((out.name as Record<string, unknown> | undefined) ?? {}) };
      const patchName = (src.name as Record<string, unknown> | undefined) ?? {};
      baseName[camel(sub)] = patchName[camel(sub)] ?? '';
      out.name = baseName;
    }
  }
  return out as unknown as ProfileData;
}
