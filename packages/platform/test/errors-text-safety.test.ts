import { nulCharacterPaths, rejectNulCharacters, ValidationError } from '../src/errors';

describe('NUL characters in requests', () => {
  it('names every string field holding a NUL, nested and in lists', () => {
    expect(nulCharacterPaths({ name: 'ok', contact: { email: 'a\u0000b' }, tags: ['x', '\u0000'], when: new Date(0), n: 3 })).toEqual(['contact.email', 'tags[1]']);
    expect(nulCharacterPaths('\u0000')).toEqual(['']);
    expect(nulCharacterPaths({ clean: ['a', { b: 'c' }] })).toEqual([]);
  });

  it('rejects such a request with a ValidationError per field, and passes a clean one', () => {
    expect(() => rejectNulCharacters({ namePrefix: 'LI\u0000' })).toThrow(ValidationError);
    try {
      rejectNulCharacters({ namePrefix: 'LI\u0000' });
    } catch (err) {
      expect((err as ValidationError).violations).toEqual([{ field: 'namePrefix', description: 'must not contain NUL characters', rule: 'CHARACTERS' }]);
    }
    expect(() => rejectNulCharacters({ namePrefix: '李' })).not.toThrow();
  });
});
