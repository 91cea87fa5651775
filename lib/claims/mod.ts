/**
 * The claims of the paper on one protocol: the registry, the run groups, the pass rules and
 * the pre-registered expectations.
 *
 * @module
 */

export * from "./evidence.ts";
export * from "./gol_claims.ts";
export * from "./groups.ts";
export * from "./preregistration.ts";
export * from "./protocol.ts";
export * from "./registry.ts";
export * from "./rules.ts";
export * from "./table4.ts";
