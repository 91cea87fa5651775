/**
 * Seeded pseudo-random numbers. Every random choice in imagination-lens (boards, weight
 * initialisation, batch order, simulations) draws from one of these, so a seed
 * fixes a run completely and independently of the TF.js backend.
 *
 * @module
 */

/** A seeded generator of uniform floats in [0, 1), normals and integers. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, bound). */
  int(bound: number): number;
  /** Standard normal deviate. */
  normal(): number;
  /** Raw 32 random bits as an unsigned integer. */
  uint32(): number;
  /** The generator's whole state, to resume it later with {@link restoreRng}. */
  state(): RngState;
}

/** A generator's whole state: sfc32's four words and a spare normal deviate, if any. */
export interface RngState {
  /** sfc32's words a, b, c, d (unsigned 32-bit). */
  words: [number, number, number, number];
  /** The second deviate of the last Box-Muller pair, not yet returned. */
  spareNormal: number | null;
}

/**
 * A small fast generator (sfc32 seeded through splitmix32) that is deterministic on every
 * platform.
 *
 * @example
 * ```ts
 * const rng = createRng(42);
 * const coin = rng.next() < 0.5;
 * ```
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  function splitmix(): number {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  const rng = restoreRng({
    words: [splitmix(), splitmix(), splitmix(), splitmix()],
    spareNormal: null,
  });
  for (let i = 0; i < 12; i++) rng.uint32();
  return rng;
}

/**
 * A generator that continues exactly where the one whose {@link Rng.state} was taken stood.
 *
 * @example
 * ```ts
 * const rng = createRng(42);
 * const saved = rng.state();
 * const next = rng.next();
 * restoreRng(saved).next() === next; // true
 * ```
 */
export function restoreRng(saved: RngState): Rng {
  let [a, b, c, d] = saved.words.map((word) => word >>> 0);
  let spareNormal = saved.spareNormal;
  function uint32(): number {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  }
  return {
    uint32,
    next: () => uint32() / 4294967296,
    int: (bound: number) => Math.floor((uint32() / 4294967296) * bound),
    normal() {
      if (spareNormal !== null) {
        const value = spareNormal;
        spareNormal = null;
        return value;
      }
      let u = 0;
      while (u === 0) u = uint32() / 4294967296;
      const v = uint32() / 4294967296;
      const radius = Math.sqrt(-2 * Math.log(u));
      spareNormal = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    state: () => ({ words: [a >>> 0, b >>> 0, c >>> 0, d >>> 0], spareNormal }),
  };
}

/**
 * Derives an independent seed from a base seed and a label, so that the data, the weights
 * and the batch order of one run use unrelated streams.
 *
 * @example
 * ```ts
 * const dataSeed = deriveSeed(7, "data");
 * ```
 */
export function deriveSeed(base: number, label: string): number {
  let hash = 0x811c9dc5 ^ (base >>> 0);
  for (let i = 0; i < label.length; i++) {
    hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193) >>> 0;
  }
  hash = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d) >>> 0;
  return (hash ^ (hash >>> 12)) >>> 0;
}
