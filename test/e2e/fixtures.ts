// The browser tests' sandbox: small, seeded and dated so runs are repeatable.
export const E2E_PATIENTS = 40;
export const E2E_SEED = 7;
export const E2E_TODAY = '2026-11-23';
