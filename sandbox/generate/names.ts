// Name pools for synthetic people, grouped by the background the generator draws first (so a
// patient whose preferred language is Vietnamese is likely to have a Vietnamese name). Common
// names only; any resemblance to a real person is coincidence.

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

interface NamePool {
  readonly female: readonly string[];
  readonly male: readonly string[];
  readonly family: readonly string[];
}

const general: NamePool = {
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
  ],
  family: [
    'Smith',
    'Miller',
    'Wilson',
    'Anderson',
    'Taylor',
    'Moore',
    'Clark',
    'Walker',
    'Young',
    'Allen',
    'Wright',
    'Hill',
    "O'Brien",
    'Sullivan',
  ],
};

export const NAME_POOLS: Readonly<Record<Background, NamePool>> = {
  white: general,
  russian: {
    female: ['Olga', 'Natalia', 'Irina', 'Svetlana', 'Elena'],
    male: ['Dmitri', 'Sergei', 'Alexei', 'Ivan', 'Mikhail'],
    family: ['Ivanov', 'Petrov', 'Smirnov', 'Volkov', 'Kuznetsov'],
  },
  black: {
    female: ['Keisha', 'Aaliyah', 'Imani', 'Jasmine', 'Tanya', 'Denise', 'Brenda', 'Amara'],
    male: ['Darnell', 'Malik', 'Andre', 'Terrence', 'Marcus', 'Jerome', 'Kwame', 'Tyrone'],
    family: [
      'Washington',
      'Jackson',
      'Johnson',
      'Williams',
      'Brown',
      'Jones',
      'Davis',
      'Robinson',
      'Harris',
      'Okafor',
    ],
  },
  hispanic: {
    female: ['María', 'Guadalupe', 'Rosa', 'Ana', 'Carmen', 'Sofía', 'Lucía', 'Yesenia'],
    male: ['José', 'Juan', 'Luis', 'Carlos', 'Jorge', 'Miguel', 'Alejandro', 'Rafael'],
    family: [
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
  },
  chinese: {
    female: ['Mei', 'Xiu', 'Ling', 'Hui', 'Yan'],
    male: ['Wei', 'Jun', 'Hao', 'Ming', 'Lei'],
    family: ['Wang', 'Li', 'Zhang', 'Chen', 'Liu', 'Huang'],
  },
  vietnamese: {
    female: ['Anh', 'Linh', 'Thao', 'Hoa', 'Mai'],
    male: ['Minh', 'Duc', 'Huy', 'Tuan', 'Long'],
    family: ['Nguyen', 'Tran', 'Le', 'Pham', 'Hoang'],
  },
  korean: {
    female: ['Seo-yeon', 'Ji-woo', 'Min-ji', 'Hye-jin'],
    male: ['Min-jun', 'Ji-ho', 'Seung-hoon', 'Dong-hyun'],
    family: ['Kim', 'Lee', 'Park', 'Choi', 'Jung'],
  },
  filipino: {
    female: ['Maria', 'Angelica', 'Kristine', 'Rowena'],
    male: ['Jose', 'Mark', 'Rodel', 'Jerome'],
    family: ['Santos', 'Reyes', 'Cruz', 'Bautista', 'Garcia'],
  },
  indian: {
    female: ['Priya', 'Ananya', 'Deepa', 'Kavya'],
    male: ['Arjun', 'Rahul', 'Vikram', 'Sanjay'],
    family: ['Patel', 'Shah', 'Singh', 'Reddy', 'Iyer'],
  },
  iranian: {
    female: ['Maryam', 'Leila', 'Shirin', 'Parisa'],
    male: ['Reza', 'Ali', 'Dariush', 'Kian'],
    family: ['Hosseini', 'Rahimi', 'Karimi', 'Tehrani'],
  },
  arab: {
    female: ['Nadia', 'Rania', 'Layla', 'Huda'],
    male: ['Omar', 'Karim', 'Youssef', 'Samir'],
    family: ['Haddad', 'Khoury', 'Mansour', 'Hassan', 'Saleh'],
  },
  aian: {
    female: ['Winona', 'Dena', 'Shawna'],
    male: ['Dakota', 'Wyatt', 'Cody'],
    family: ['Begay', 'Yazzie', 'Tsosie', 'Locklear'],
  },
  nhpi: {
    female: ['Leilani', 'Malia', 'Noelani'],
    male: ['Keoni', 'Kai', 'Sione'],
    family: ['Kahale', 'Fonoti', 'Tuiasosopo', 'Kealoha'],
  },
  multiracial: general,
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
