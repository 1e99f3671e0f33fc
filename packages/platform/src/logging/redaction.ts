/**
 * Keys whose values never reach a log line: credentials and personal data. Matched case-sensitively by pino's
 * redaction at the top level and up to two levels deep (e.g. `req.headers.authorization`), so prefer these names.
 */
export const REDACTED_KEYS: readonly string[] = [
  'authorization',
  'Authorization',
  'cookie',
  'set-cookie',
  'password',
  'passwd',
  'secret',
  'clientSecret',
  'client_secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'apiKey',
  'api_key',
  'privateKey',
  'private_key',
  'encryptionKey',
  'hmacKey',
  'phone',
  'phoneNumber',
  'mobile',
  'email',
  'emailAddress',
  'documentNumber',
  'passportNumber',
  'dateOfBirth',
  'birthDate',
  'postalAddress',
  'homeAddress',
  'cardNumber',
  'pan',
  'cvv',
  'iban',
];

export const CENSOR = '[REDACTED]';

/** pino `redact.paths` for every key at depth 0..2 (fast-redact has no recursive wildcard). */
export function redactionPaths(keys: readonly string[] = REDACTED_KEYS): string[] {
  const paths: string[] = [];
  for (const key of keys) {
    const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const join = (prefix: string) => (segment.startsWith('[') ? `${prefix}${segment}` : `${prefix}.${segment}`);
    paths.push(segment.startsWith('[') ? segment : key, join('*'), join('*.*'));
  }
  return paths;
}

/** Key names that look secret whatever the config calls them (by their ending: `dbPassword`, `authToken`, not `tokenTtl`). */
const SECRETISH_KEY = /(password|passwd|secret|token|apikey|api_key|privatekey|private_key|credentials?|hmackey|signingkey|encryptionkeys?)$/i;

/**
 * Deep copy of `value` with secrets replaced by CENSOR: keys listed in `secretKeys` (a bare name matches at any
 * depth, a dotted path only there), keys that look secret, and passwords inside URLs (`postgres://u:p@h`).
 */
export function redactDeep(value: unknown, secretKeys: readonly string[] = [], path: readonly string[] = []): unknown {
  if (typeof value === 'string') return redactUrlPassword(value);
  if (Array.isArray(value)) return value.map((item, i) => redactDeep(item, secretKeys, [...path, String(i)]));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    const listed = secretKeys.includes(key) || secretKeys.includes(childPath.join('.'));
    const looksSecret = SECRETISH_KEY.test(key) || REDACTED_KEYS.includes(key);
    out[key] = (listed || looksSecret) && child !== undefined && child !== '' ? CENSOR : redactDeep(child, secretKeys, childPath);
  }
  return out;
}

function redactUrlPassword(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/\s]*:[^/\s]*@/i.test(text)) return text;
  return text
    .split(',')
    .map((part) => {
      try {
        const url = new URL(part);
        if (url.password === '') return part;
        url.password = 'REDACTED';
        return url.toString();
      } catch {
        return part.replace(/\/\/([^:/@\s]*):[^@\s]*@/, '//$1:REDACTED@');
      }
    })
    .join(',');
}
