import assert from "node:assert/strict";
import { initBackend } from "../backend/backend.ts";
import { tf } from "../backend/tf.ts";
import { createRng } from "../stats/rng.ts";
import {
  type ConvLstmConfig,
  copyCell,
  countCells,
  countModelTrunk,
  createCountModel,
  disposeCountModel,
  lstmStates,
} from "./conv_lstm.ts";
import { convStack } from "../layers/layers.ts";

const small: ConvLstmConfig = {
  boardSize: 5,
  golTimesteps: 2,
  lstmTimesteps: 3,
  encodedSize: 2,
  encoderLayers: 1,
  decoderLayers: 1,
  countLayers: 1,
  countAutoencoder: true,
};

function randomBoards(batch: number, size: number, seed: number): tf.Tensor4D {
  const rng = createRng(seed);
  const values = Float32Array.from({ length: batch * size * size }, () => rng.int(2));
  return tf.tensor4d(values, [batch, size, size, 1]);
}

/** Plain-JS 3x3 "same" convolution of [rows][cols][in] with kernel [3][3][in][out] (flat). */
function convolve(
  x: number[][][],
  kernel: Float32Array,
  inChannels: number,
  outChannels: number,
): number[][][] {
  const rows = x.length, cols = x[0].length;
  return x.map((row, r) =>
    row.map((_, c) =>
      Array.from({ length: outChannels }, (_, o) => {
        let sum = 0;
        for (let dr = -1; dr <= 1; dr++) {
          for (let dc = -1; dc <= 1; dc++) {
            const rr = r + dr, cc = c + dc;
            if (rr < 0 || cc < 0 || rr >= rows || cc >= cols) continue;
            for (let i = 0; i < inChannels; i++) {
              sum += x[rr][cc][i] *
                kernel[(((dr + 1) * 3 + dc + 1) * inChannels + i) * outChannels + o];
            }
          }
        }
        return sum;
      })
    )
  );
}

Deno.test("the LSTM's states follow the ConvLSTM equations, from h(0) = encoder output", async () => {
  await initBackend("wasm");
  const model = createCountModel(small, createRng(1));
  const boards = randomBoards(1, small.boardSize, 2);
  const states = lstmStates(model, boards);
  assert.equal(states.length, small.lstmTimesteps + 1);
  const encoded = convStack(model.encoder, boards);
  assert.deepEqual(states[0].arraySync(), encoded.arraySync());

  const channels = small.encodedSize;
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  const x = (encoded.arraySync() as number[][][][])[0];
  const inputKernel = model.cell.input.kernel.dataSync() as Float32Array;
  const recurrentKernel = model.cell.recurrent.kernel.dataSync() as Float32Array;
  const bias = model.cell.input.bias.dataSync();
  const fromInput = convolve(x, inputKernel, channels, 4 * channels);
  let h = x;
  let c = x.map((row) => row.map(() => new Array(channels).fill(0)));
  for (let t = 1; t <= small.lstmTimesteps; t++) {
    const fromHidden = convolve(h, recurrentKernel, channels, 4 * channels);
    const gate = (r: number, col: number, g: number, ch: number) =>
      fromInput[r][col][g * channels + ch] + fromHidden[r][col][g * channels + ch] +
      bias[g * channels + ch];
    c = c.map((row, r) =>
      row.map((cell, col) =>
        cell.map((value, ch) =>
          sigmoid(gate(r, col, 1, ch)) * value +
          sigmoid(gate(r, col, 0, ch)) * Math.tanh(gate(r, col, 2, ch))
        )
      )
    );
    h = c.map((row, r) =>
      row.map((cell, col) =>
        cell.map((value, ch) => sigmoid(gate(r, col, 3, ch)) * Math.tanh(value))
      )
    );
    const actual = (states[t].arraySync() as number[][][][])[0];
    actual.flat(2).forEach((value, i) => {
      assert.ok(
        Math.abs(value - h.flat(2)[i]) < 1e-5,
        `h(${t}) element ${i}: ${value} vs ${h.flat(2)[i]}`,
      );
    });
  }
  tf.dispose([boards, encoded, ...states]);
  disposeCountModel(model);
});

Deno.test("the forget gate's bias starts at 1 and the others at 0", async () => {
  await initBackend("wasm");
  const model = createCountModel(small, createRng(3));
  const bias = Array.from(model.cell.input.bias.dataSync());
  const c = small.encodedSize;
  assert.deepEqual(bias, [...Array(c).fill(0), ...Array(c).fill(1), ...Array(2 * c).fill(0)]);
  disposeCountModel(model);
});

Deno.test("the count head gives one number per board and every trunk variable gets a gradient", async () => {
  await initBackend("wasm");
  const model = createCountModel(small, createRng(4));
  const boards = randomBoards(3, small.boardSize, 5);
  const { grads } = tf.variableGrads(() => {
    const states = lstmStates(model, boards);
    const count = countCells(model.count, states[states.length - 1]);
    assert.deepEqual(count.shape, [3]);
    return tf.sum(tf.square(count)) as tf.Scalar;
  }, countModelTrunk(model));
  for (const [name, gradient] of Object.entries(grads)) {
    assert.ok(tf.sum(tf.abs(gradient)).dataSync()[0] > 0, `no gradient reaches ${name}`);
  }
  tf.dispose([boards, ...Object.values(grads)]);
  disposeCountModel(model);
});

Deno.test("a copied cell keeps its weights while the model's cell is trained", async () => {
  await initBackend("wasm");
  const model = createCountModel(small, createRng(6));
  const copy = copyCell(model.cell);
  const before = Array.from(copy.recurrent.kernel.dataSync());
  model.cell.recurrent.kernel.assign(tf.zerosLike(model.cell.recurrent.kernel));
  assert.deepEqual(Array.from(copy.recurrent.kernel.dataSync()), before);
  const boards = randomBoards(2, small.boardSize, 7);
  const withCopy = lstmStates(model, boards, copy);
  const withModel = lstmStates(model, boards);
  assert.notDeepEqual(withCopy[1].arraySync(), withModel[1].arraySync());
  tf.dispose([boards, ...withCopy, ...withModel, copy.input.kernel, copy.input.bias]);
  tf.dispose([copy.recurrent.kernel, copy.recurrent.bias]);
  disposeCountModel(model);
});
