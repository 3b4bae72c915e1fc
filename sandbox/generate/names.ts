// Name pools for synthetic people. First (and middle) names come from one race-neutral pool:
// race and ethnicity say nothing about a person's first name, and a health-equity product must
// not teach its users otherwise. Only a preferred language other than English selects a pool of
// first names common among speakers of that language. Family names follow the generator's
// "background" only where it stands for a language community (Hispanic, Chinese, Vietnamese, …);
// White, Black, AIAN, NHPI and multiracial people share one general pool. Common names only; any
// resemblance to a real person is coincidence.

export type Background =
  | 'white'
  | 'russian'
  | 'black'
  | 'hispanic'
  | 'chinese'
  | 'vietnamese'
  | 'korean'
  | 'filipino'
  | 'indian'
  | 'iranian'
  | 'arab'
  | 'aian'
  | 'nhpi'
  | 'multiracial';

export interface FirstNamePool {
  readonly female: readonly string[];
  readonly male: readonly string[];
}

/** The race-neutral first-name pool: everyone whose preferred language is English, or unknown. */
export const FIRST_NAMES: FirstNamePool = {
  female: [
    'Mary',
    'Linda',
    'Patricia',
    'Jennifer',
    'Emily',
    'Sarah',
    'Jessica',
    'Karen',
    'Nancy',
    'Olivia',
    'Megan',
    'Rachel',
    'Angela',
    'Michelle',
    'Denise',
    'Laura',
    'Nicole',
    'Grace',
    'Maya',
    'Sophia',
    'Hannah',
    'Teresa',
    'Andrea',
    'Brenda',
  ],
  male: [
    'James',
    'John',
    'Robert',
    'Michael',
    'William',
    'David',
    'Daniel',
    'Matthew',
    'Joseph',
    'Thomas',
    'Ryan',
    'Kevin',
    'Anthony',
    'Christopher',
    'Brian',
    'Eric',
    'Steven',
    'Marcus',
    'Adam',
    'Nathan',
    'Samuel',
    'Aaron',
    'Gabriel',
    'Isaac',
  ],
};

/**
 * First names tied to a preferred language (the primary subtag of its BCP-47 code). A language
 * without an entry uses FIRST_NAMES.
 */
export const FIRST_NAMES_BY_LANGUAGE: Readonly<Record<string, FirstNamePool>> = {
  es: {
    female: ['María', 'Guadalupe', 'Rosa', 'Ana', 'Carmen', 'Sofía', 'Lucía', 'Yesenia'],
    male: ['José', 'Juan', 'Luis', 'Carlos', 'Jorge', 'Miguel', 'Alejandro', 'Rafael'],
  },
  zh: { female: ['Mei', 'Xiu', 'Ling', 'Hui', 'Yan'], male: ['Wei', 'Jun', 'Hao', 'Ming', 'Lei'] },
  vi: {
    female: ['Anh', 'Linh', 'Thao', 'Hoa', 'Mai'],
    male: ['Minh', 'Duc', 'Huy', 'Tuan', 'Long'],
  },
  ko: {
    female: ['Seo-yeon', 'Ji-woo', 'Min-ji', 'Hye-jin'],
    male: ['Min-jun', 'Ji-ho', 'Seung-hoon', 'Dong-hyun'],
  },
  ru: {
    female: ['Olga', 'Natalia', 'Irina', 'Svetlana', 'Elena'],
    male: ['Dmitri', 'Sergei', 'Alexei', 'Ivan', 'Mikhail'],
  },
  fa: { female: ['Maryam', 'Leila', 'Shirin', 'Parisa'], male: ['Reza', 'Ali', 'Dariush', 'Kian'] },
  ar: { female: ['Nadia', 'Rania', 'Layla', 'Huda'], male: ['Omar', 'Karim', 'Youssef', 'Samir'] },
  tl: {
    female: ['Maria', 'Angelica', 'Kristine', 'Rowena'],
    male: ['Jose', 'Mark', 'Rodel', 'Jerome'],
  },
  hi: {
    female: ['Priya', 'Ananya', 'Deepa', 'Kavya'],
    male: ['Arjun', 'Rahul', 'Vikram', 'Sanjay'],
  },
};

/** The first-name pool for a preferred language (BCP-47, e.g. `es-MX`), or null for none recorded. */
export function firstNamePool(language: string | null): FirstNamePool {
  const primary = language?.split('-')[0]?.toLowerCase();
  return (primary === undefined ? undefined : FIRST_NAMES_BY_LANGUAGE[primary]) ?? FIRST_NAMES;
}

const GENERAL_FAMILY: readonly string[] = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Miller',
  'Davis',
  'Wilson',
  'Anderson',
  'Taylor',
  'Moore',
  'Jackson',
  'Harris',
  'Clark',
  'Walker',
  'Young',
  'Allen',
  'Wright',
  'Hill',
  'Robinson',
  "O'Brien",
  'Sullivan',
];

/** Family names by background; backgrounds that are not a language community share one pool. */
export const FAMILY_NAMES: Readonly<Record<Background, readonly string[]>> = {
  white: GENERAL_FAMILY,
  black: GENERAL_FAMILY,
  aian: GENERAL_FAMILY,
  nhpi: GENERAL_FAMILY,
  multiracial: GENERAL_FAMILY,
  russian: ['Ivanov', 'Petrov', 'Smirnov', 'Volkov', 'Kuznetsov'],
  hispanic: [
    'García',
    'Rodríguez',
    'Martínez',
    'Hernández',
    'López',
    'González',
    'Pérez',
    'Sánchez',
    'Ramírez',
    'Flores',
  ],
  chinese: ['Wang', 'Li', 'Zhang', 'Chen', 'Liu', 'Huang'],
  vietnamese: ['Nguyen', 'Tran', 'Le', 'Pham', 'Hoang'],
  korean: ['Kim', 'Lee', 'Park', 'Choi', 'Jung'],
  filipino: ['Santos', 'Reyes', 'Cruz', 'Bautista', 'Garcia'],
  indian: ['Patel', 'Shah', 'Singh', 'Reddy', 'Iyer'],
  iranian: ['Hosseini', 'Rahimi', 'Karimi', 'Tehrani'],
  arab: ['Haddad', 'Khoury', 'Mansour', 'Hassan', 'Saleh'],
};

export const STREETS: readonly string[] = [
  'Main St',
  'Elm St',
  'River Rd',
  'Maple Ave',
  'Washington St',
  'Columbia Rd',
  'Lincoln Ave',
  'Park St',
  'Centre St',
  'Harbor View Dr',
];

/** Fictional neighbourhoods of the sandbox city, with made-up ZIP codes in an unassigned-looking range. */
export const CITY = {
  city: 'Riverton',
  state: 'RI',
  zips: ['02901', '02902', '02903', '02904', '02905'],
} as const;
