/** Moved to lib/verify/live/charon.ts (one implementation for verify --live and the interop harness). */
export * from '../../../lib/verify/live/charon';
