// Lint for every TypeScript package of the monorepo.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    { ignores: ['**/dist/**', '**/node_modules/**', '**/.build/**', 'test-network/.run/**', 'client-app/public/assets/**'] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
            'no-restricted-properties': [
                'error',
                { object: 'Math', property: 'random', message: 'Chaincode and ids must be deterministic.' },
                { object: 'Date', property: 'now', message: 'Time comes from the transaction or an injected clock.' },
            ],
        },
    },
    {
        files: ['**/*.test.ts', '**/testing/**', '**/test/**', '**/bench/**', '**/scripts/**'],
        rules: { 'no-restricted-properties': 'off', '@typescript-eslint/no-unused-expressions': 'off' },
    },
);
