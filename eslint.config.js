// Type-aware lint for the whole project. The import-direction rules below enforce the one-way
// flow in ../shared/design/architecture.md: app → features → ui, worker → fhir (REST), analysis →
// measures, equity, sdoh → clinical → FHIR types (import cycles are checked by test/unit/architecture). Pure folders may not touch React, MUI, recharts, fhirclient,
// the network, storage or the clock.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const uiPackages = [
  'react',
  'react-dom',
  'react-dom/*',
  '@mui/*',
  '@emotion/*',
  'recharts',
  'fhirclient',
  'fhirclient/*',
];
const layer = (name) => [`**/src/${name}/**`, `../${name}/**`, `../../${name}/**`];

/** Folders each layer may not import from (its "upstream" layers). */
const forbidden = {
  clinical: ['measures', 'equity', 'sdoh', 'analysis', 'worker', 'fhir', 'ui', 'features', 'app'],
  measures: ['equity', 'sdoh', 'analysis', 'worker', 'fhir', 'ui', 'features', 'app'],
  equity: ['measures', 'sdoh', 'analysis', 'worker', 'fhir', 'ui', 'features', 'app'],
  sdoh: ['measures', 'equity', 'analysis', 'worker', 'fhir', 'ui', 'features', 'app'],
  // The panel analysis (strata + measures + statistics → the dashboard's plain view model), shared
  // by the worker and the CLI so their numbers cannot drift apart.
  analysis: ['worker', 'fhir', 'ui', 'features', 'app', 'cli'],
  worker: ['ui', 'features', 'app', 'cli'],
  fhir: ['analysis', 'worker', 'ui', 'features', 'app', 'cli'],
  // The REST layer runs in the panel worker and in Node: plain fetch, never fhirclient or React.
  'fhir/rest': ['analysis', 'worker', 'ui', 'features', 'app', 'cli'],
  ui: ['features', 'app', 'fhir', 'worker', 'analysis', 'cli'],
  features: ['app', 'cli'],
  // The Node CLI (population runs) reuses the pure engine and the worker's runner, never the UI.
  cli: ['ui', 'features', 'app'],
};
const pure = ['clinical', 'measures', 'equity', 'sdoh', 'analysis'];
/** Layers that run off the page (Worker, Node): no React, MUI, recharts or fhirclient either. */
const headless = [...pure, 'worker', 'fhir/rest', 'cli'];

const layerRules = Object.entries(forbidden).map(([folder, banned]) => ({
  files: [`src/${folder}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...banned.map((b) => ({
            group: layer(b),
            message: `src/${folder} may not import src/${b} (architecture.md: one direction only).`,
          })),
          {
            group: ['**/sandbox/**', '**/test/**'],
            message: 'Production code may not import the sandbox or tests.',
          },
          ...(headless.includes(folder)
            ? [
                {
                  group: uiPackages,
                  message: `src/${folder} runs off the page: no React, MUI, recharts or fhirclient.`,
                },
              ]
            : []),
        ],
      },
    ],
    ...(pure.includes(folder)
      ? {
          'no-restricted-globals': [
            'error',
            ...[
              'fetch',
              'window',
              'document',
              'localStorage',
              'sessionStorage',
              'XMLHttpRequest',
              'navigator',
            ].map((name) => ({
              name,
              message: `src/${folder} is pure: pass data in, do no I/O.`,
            })),
          ],
          'no-restricted-syntax': [
            'error',
            {
              selector: "NewExpression[callee.name='Date'][arguments.length=0]",
              message: 'Pure code takes "today" as an argument.',
            },
            {
              selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
              message: 'Pure code takes "today" as an argument.',
            },
          ],
        }
      : {}),
  },
}));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'public/mockServiceWorker.js',
      'test-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'bin/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}', 'launch/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/sandbox/**', '**/test/**'],
              message: 'Production code may not import the sandbox or tests.',
            },
          ],
        },
      ],
    },
  },
  ...layerRules,
  {
    // The sandbox, CLI scripts and tests print to the terminal on purpose.
    files: ['sandbox/**/*.ts', 'test/**/*.{ts,tsx}'],
    rules: { 'no-console': 'off' },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
