/**
 * Decoders as one module, as tuned-lens makes its lens a first-class object: the decoder
 * (create, decode, copy; saved with the run store's layer files), its supervised and
 * adversarial training with the domain's loss passed in, and the critic. The Game of Life
 * decoders and ceiling readouts, the Table 4 readouts and the chess board decoders are all
 * made and trained here.
 *
 * @module
 */
export * from "./critic.ts";
export * from "./decoder.ts";
export * from "./train.ts";
