/** Moved to lib/verify/live/icmp.ts (one implementation for verify --live and the interop harness). */
export * from '../../../lib/verify/live/icmp';
