import { describe, expect, it } from 'vitest';
import { formatHumanName } from '../../../../src/features/patient/human-name';

const today = '2026-03-15';

describe('formatHumanName', () => {
  it.each<[string, fhir4.HumanName[] | undefined, boolean, string | undefined]>([
    ['given and family', [{ given: ['Ana', 'María'], family: 'López' }], false, 'Ana María López'],
    [
      'the official name over a nickname',
      [
        { use: 'nickname', given: ['Annie'] },
        { use: 'official', given: ['Ana'], family: 'Ruiz' },
      ],
      false,
      'Ana Ruiz',
    ],
    [
      'not an old name',
      [
        { use: 'old', given: ['Ana'], family: 'Smith' },
        { use: 'usual', given: ['Ana'], family: 'Ruiz' },
      ],
      false,
      'Ana Ruiz',
    ],
    [
      'not a name whose period ended',
      [
        { given: ['Ana'], family: 'Smith', period: { end: '2001-01-01' } },
        { given: ['Ana'], family: 'Ruiz' },
      ],
      false,
      'Ana Ruiz',
    ],
    [
      'the prefix for practitioners',
      [{ prefix: ['Dr.'], given: ['Adam'], family: 'Everyman' }],
      true,
      'Dr. Adam Everyman',
    ],
    [
      'no prefix unless asked',
      [{ prefix: ['Mrs.'], given: ['Eve'], family: 'Everywoman' }],
      false,
      'Eve Everywoman',
    ],
    [
      'the text over the parts',
      [{ text: 'Eve Q. Everywoman', given: ['Eve'], family: 'Everywoman' }],
      true,
      'Eve Q. Everywoman',
    ],
    ['suffixes', [{ given: ['John'], family: 'Doe', suffix: ['Jr.'] }], false, 'John Doe Jr.'],
    ['the text when there are no parts', [{ text: 'Baby Girl Lopez' }], false, 'Baby Girl Lopez'],
    ['nothing for an empty name', [{}], false, undefined],
    ['nothing for no names', undefined, false, undefined],
  ])('formats %s', (_case, names, withPrefix, expected) => {
    expect(formatHumanName(names, today, { withPrefix })).toBe(expected);
  });
});
