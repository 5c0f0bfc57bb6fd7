import { expect, it } from 'vitest';
import { initials } from '../../client/src/session/presenceUser';

// The initials on the avatars of people present, comments and suggestions: letters a person
// recognises, never punctuation or half of a character.
it.each([
  ['Amina Otieno', 'AO'],
  ['Grace (broker)', 'GB'],
  ['Dr. Amina Otieno', 'DO'],
  ['“Ben” Kamau', 'BK'],
  ['Amina', 'AM'],
  ['  amina   otieno  ', 'AO'],
  ['𝓐lex Smith', '𝓐S'],
  ['😀 Ben', 'BE'],
  ['王小明', '王小'],
  ['Zoë', 'ZO'],
  ['— ()', '?'],
  ['', '?'],
])('writes the initials of %j as %j', (name, shown) => {
  expect(initials(name)).toBe(shown);
});
