/**
 * The run store (a local folder or an S3-compatible bucket) and its runners (the local worker
 * pool, the BullMQ queue); run kinds are registered from above.
 *
 * @module
 */
export * from "./bucket.ts";
export * from "./kinds.ts";
export * from "./open.ts";
export * from "./pool.ts";
export * from "./queue.ts";
export * from "./store.ts";
