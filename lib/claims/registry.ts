/**
 * The registry: every claim of the paper on the one protocol, in the paper's order. Tests, the
 * report's tables and `deno task reproduce` all read it; no list of ids is written anywhere
 * else.
 *
 * @module
 */
import { CHESS_CLAIM } from "../chess/claim.ts";
import { GOL_CLAIMS } from "./gol_claims.ts";
import type { Claim } from "./protocol.ts";
import { TABLE4_CLAIMS } from "./table4.ts";

/** Every claim: Game of Life (Tables 1-3, Section 3.1.1), Table 4, chess. */
export const CLAIMS: readonly Claim[] = [...GOL_CLAIMS, ...TABLE4_CLAIMS, CHESS_CLAIM];

/**
 * Looks a claim up by id, with the known ids in the error.
 *
 * @example
 * ```ts
 * const claim = claimById("autoencoder-helps");
 * ```
 */
export function claimById(id: string): Claim {
  const claim = CLAIMS.find((c) => c.id === id);
  if (!claim) {
    throw new Error(`claim "${id}": expected one of ${CLAIMS.map((c) => c.id).join(", ")}`);
  }
  return claim;
}

/**
 * The report's tables, in the registry's order, each with its claims.
 *
 * @example
 * ```ts
 * for (const [title, claims] of claimTables()) console.log(title, claims.length);
 * ```
 */
export function claimTables(claims: readonly Claim[] = CLAIMS): [string, Claim[]][] {
  const tables = new Map<string, Claim[]>();
  for (const claim of claims) tables.set(claim.table, [...(tables.get(claim.table) ?? []), claim]);
  return [...tables];
}
