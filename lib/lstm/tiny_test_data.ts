/**
 * A cell-count (Table 4) run small enough for unit tests: a 6x6 board, 30 steps, seconds to train.
 *
 * @module
 */
import { type LstmRunConfig, QUICK_LSTM_CONFIG } from "./config.ts";

/** The tiny cell-count run the LSTM, golden and evidence tests share. */
export const TINY_LSTM_CONFIG: LstmRunConfig = {
  model: {
    ...QUICK_LSTM_CONFIG.model,
    boardSize: 6,
    encodedSize: 4,
    golTimesteps: 2,
    lstmTimesteps: 3,
  },
  train: {
    ...QUICK_LSTM_CONFIG.train,
    batchSize: 8,
    maxSteps: 30,
    evalInterval: 10,
    trainSequences: 200,
    evalSequences: 40,
    ceilingSteps: 10,
    exampleSequences: 2,
  },
};
