/**
 * Name keys for prefix search: NFKC folds full-width Latin ("ＷＡＮＧ") to ASCII, then upper case; whitespace is
 * collapsed. Each name yields keys for the surname alone and for "surname given" (native names without a space, as
 * Chinese names are written), so "WANG X" and "王小" both match as prefixes.
 */
export function foldName(value: string): string {
  return value.normalize('NFKC').toUpperCase().replace(/\s+/g, ' ').trim();
}

export interface NameParts {
  nativeSurname: string;
  nativeGivenName: string;
  latinSurname: string;
  latinGivenName: string;
}

export function nameKeys(n: NameParts | undefined): string[] {
  if (!n) return [];
  const keys = new Set<string>();
  const add = (k: string) => {
    const f = foldName(k);
    if (f.length > 0) keys.add(f);
  };
  add(n.nativeSurname);
  add(`${n.nativeSurname}${n.nativeGivenName}`);
  add(n.nativeGivenName);
  add(n.latinSurname);
  add(`${n.latinSurname} ${n.latinGivenName}`);
  add(n.latinGivenName);
  return [...keys].sort();
}
