/** Moved to lib/verify/live/netns.ts (one implementation for verify --live and the interop harness). */
export * from '../../../lib/verify/live/netns';
