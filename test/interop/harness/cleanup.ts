/** Moved to lib/verify/live/cleanup.ts (one implementation for verify --live and the interop harness). */
export * from '../../../lib/verify/live/cleanup';
