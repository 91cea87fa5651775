import assert from "node:assert/strict";
import { initBackend } from "../../backend/backend.ts";
import { tf } from "../../backend/tf.ts";
import { createRng } from "../../stats/rng.ts";
import { chessNetForward, createChessNet } from "./model.ts";

Deno.test("zero-initialised residual branches leave the untrained tower the identity on the stream", async () => {
  await initBackend("wasm");
  const config = { filters: 8, blocks: 3, valueChannels: 2, valueHidden: 4 };
  const plain = createChessNet(config, createRng(5));
  const zeroed = createChessNet({ ...config, zeroInitResidual: true }, createRng(5));
  // The same draws either way: only the second convolutions of the blocks differ.
  assert.deepEqual(
    Array.from(zeroed.input.kernel.dataSync()),
    Array.from(plain.input.kernel.dataSync()),
  );
  assert.deepEqual(
    Array.from(zeroed.tower[1][0].kernel.dataSync()),
    Array.from(plain.tower[1][0].kernel.dataSync()),
  );
  for (const [, second] of zeroed.tower) {
    assert.ok(second.kernel.dataSync().every((v) => v === 0));
  }
  const planes = tf.randomUniform([2, 8, 8, 20], 0, 1, "float32", 3) as tf.Tensor4D;
  const { trunk } = chessNetForward(zeroed, planes);
  // Each block is then LeakyReLU of the stream: the input block's output, re-activated.
  const first = chessNetForward({ ...zeroed, tower: [] }, planes).trunk;
  const expected = tf.tidy(() => {
    let x: tf.Tensor = first;
    for (let b = 0; b < config.blocks; b++) x = tf.leakyRelu(x, 0.3);
    return x;
  });
  const gap = tf.max(tf.abs(tf.sub(trunk, expected))).dataSync()[0];
  assert.ok(gap < 1e-5, `trunk differs from the stream by ${gap}`);
  assert.ok(
    tf.max(tf.abs(tf.sub(chessNetForward(plain, planes).trunk, expected))).dataSync()[0] > 1e-2,
  );
});
