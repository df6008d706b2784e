// ESLint 10 reads only flat config. The rules live in .eslintrc.json (the file the design card
// names) and are loaded here, so there is one place to edit them.
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const legacy = JSON.parse(readFileSync(new URL('./.eslintrc.json', import.meta.url), 'utf8'));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: legacy.rules,
  },
  ...legacy.overrides.map((o) => ({ files: o.files.map((f) => (f.endsWith('/**') ? `${f}/*` : f)), rules: o.rules })),
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } } },
);
