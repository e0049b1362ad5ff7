/** Type checking runs once in `npm test` (tsc --noEmit); jest only transpiles, which keeps it fast. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
  moduleNameMapper: {
    '^cdk-site-to-site-vpn$': '<rootDir>/lib/index.ts',
    '^cdk-site-to-site-vpn/(.*)$': '<rootDir>/lib/$1',
  },
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/global-setup.ts',
};
