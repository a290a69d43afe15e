// Lint: TypeScript's recommended rules, plus the one this project cares most about — untrusted
// text (pasted ps output) must never reach the DOM as HTML.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', '**/__fixtures__/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-properties': ['error',
        { property: 'innerHTML', message: 'Never render input as HTML: use textContent or React text nodes.' },
        { property: 'outerHTML', message: 'Never render input as HTML.' },
        { property: 'insertAdjacentHTML', message: 'Never render input as HTML.' },
        { property: 'html', message: 'd3 .html() renders markup: use .text().' }],
      'no-restricted-syntax': ['error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Never render input as HTML.' }],
    },
  },
);
