/**
 * A minimal PNG encoder (8-bit RGB, zlib from node:zlib) and a canvas of boards, enough for
 * the report's pictures without a graphics dependency.
 *
 * @module
 */
import { deflateSync } from "node:zlib";

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes an RGB image (row-major, 3 bytes per pixel) as PNG.
 *
 * @example
 * ```ts
 * const png = encodePng(2, 1, Uint8Array.of(255, 0, 0, 0, 0, 255));
 * ```
 */
export function encodePng(width: number, height: number, rgb: Uint8Array): Uint8Array {
  if (rgb.length !== width * height * 3) {
    throw new RangeError("rgb length must be width * height * 3");
  }
  const raw = new Uint8Array(height * (width * 3 + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8);
  const parts = [
    Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10),
    chunk("IHDR", header),
    chunk("IDAT", new Uint8Array(deflateSync(raw))),
    chunk("IEND", new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A 3x5 pixel font: 15 bits per glyph, rows top to bottom, most significant bit first. */
const FONT: Record<string, number> = {
  "0": 0b111101101101111,
  "1": 0b010110010010111,
  "2": 0b111001111100111,
  "3": 0b111001011001111,
  "4": 0b101101111001001,
  "5": 0b111100111001111,
  "6": 0b111100111101111,
  "7": 0b111001010010010,
  "8": 0b111101111101111,
  "9": 0b111101111001111,
  "a": 0b010101111101101,
  "b": 0b110101110101110,
  "c": 0b011100100100011,
  "d": 0b110101101101110,
  "e": 0b111100110100111,
  "f": 0b111100110100100,
  "g": 0b011100101101011,
  "h": 0b101101111101101,
  "i": 0b111010010010111,
  "j": 0b001001001101010,
  "k": 0b101101110101101,
  "l": 0b100100100100111,
  "m": 0b101111111101101,
  "n": 0b110101101101101,
  "o": 0b010101101101010,
  "p": 0b110101110100100,
  "q": 0b010101101110011,
  "r": 0b110101110101101,
  "s": 0b011100010001110,
  "t": 0b111010010010010,
  "u": 0b101101101101111,
  "v": 0b101101101101010,
  "w": 0b101101111111101,
  "x": 0b101101010101101,
  "y": 0b101101010010010,
  "z": 0b111001010100111,
  "(": 0b010100100100010,
  ")": 0b010001001001010,
  "_": 0b000000000000111,
  "*": 0b000101010101000,
  "-": 0b000000111000000,
  "+": 0b000010111010000,
  ".": 0b000000000000010,
  ",": 0b000000000010100,
  ":": 0b000010000010000,
  "/": 0b001001010100100,
  "%": 0b101001010100101,
  "=": 0b000111000111000,
  " ": 0b000000000000000,
};

/** Pixel width of a glyph plus its spacing, at scale 1. */
export const GLYPH_WIDTH = 4;
/** Pixel height of a line of text, at scale 1. */
export const GLYPH_HEIGHT = 5;

/** An RGB canvas to draw boards on. */
export class Canvas {
  /** Pixels, RGB. */
  readonly rgb: Uint8Array;

  /** A canvas filled with `background`. */
  constructor(
    readonly width: number,
    readonly height: number,
    background: [number, number, number] = [255, 255, 255],
  ) {
    this.rgb = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) this.rgb.set(background, i * 3);
  }

  /** Fills a rectangle. */
  fill(x: number, y: number, w: number, h: number, color: [number, number, number]): void {
    for (let yy = Math.max(0, y); yy < Math.min(this.height, y + h); yy++) {
      for (let xx = Math.max(0, x); xx < Math.min(this.width, x + w); xx++) {
        this.rgb.set(color, (yy * this.width + xx) * 3);
      }
    }
  }

  /**
   * Draws a board of values in [0, 1] (probabilities allowed: shown as grey levels; alive is
   * dark) with `cell` pixels per cell and a thin frame of `frame` colour.
   */
  board(
    x: number,
    y: number,
    values: ArrayLike<number>,
    rows: number,
    cols: number,
    cell: number,
    frame: [number, number, number] = [160, 160, 160],
  ): void {
    this.fill(x - 1, y - 1, cols * cell + 2, rows * cell + 2, frame);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = Math.min(1, Math.max(0, values[r * cols + c]));
        const level = Math.round(255 * (1 - v));
        this.fill(x + c * cell, y + r * cell, cell, cell, [level, level, level]);
      }
    }
  }

  /**
   * Writes text (lower case, digits and `()_*-+.,:/%=`; upper case is drawn as lower case)
   * with its top-left corner at (x, y), each font pixel `scale` pixels wide. Returns the
   * text's width in pixels.
   *
   * @example
   * ```ts
   * new Canvas(40, 10).text(1, 1, "h(0)", [0, 0, 0]); // 15
   * ```
   */
  text(
    x: number,
    y: number,
    text: string,
    color: [number, number, number],
    scale = 1,
  ): number {
    [...text.toLowerCase()].forEach((char, i) => {
      const bits = FONT[char] ?? FONT["*"];
      for (let bit = 0; bit < 15; bit++) {
        if (bits & (1 << (14 - bit))) {
          const left = x + (i * GLYPH_WIDTH + (bit % 3)) * scale;
          this.fill(left, y + Math.floor(bit / 3) * scale, scale, scale, color);
        }
      }
    });
    return textWidth(text, scale);
  }

  /** The canvas as PNG bytes. */
  png(): Uint8Array {
    return encodePng(this.width, this.height, this.rgb);
  }
}

/**
 * The width in pixels of `text` written with {@link Canvas.text}.
 *
 * @example
 * ```ts
 * textWidth("s_1"); // 11
 * ```
 */
export function textWidth(text: string, scale = 1): number {
  return Math.max(0, text.length * GLYPH_WIDTH - 1) * scale;
}
