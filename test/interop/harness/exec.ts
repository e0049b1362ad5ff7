/** Moved to lib/verify/live/exec.ts (one implementation for verify --live and the interop harness). */
export * from '../../../lib/verify/live/exec';
