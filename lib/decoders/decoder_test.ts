import assert from "node:assert/strict";
import { initBackend } from "../backend/backend.ts";
import { tf } from "../backend/tf.ts";
import { variablesOf } from "../layers/layers.ts";
import { createRng } from "../stats/rng.ts";
import { createCritic, criticLogits, criticVariables } from "./critic.ts";
import { copyDecoder, createDecoder, decode } from "./decoder.ts";
import { trainAdversarial, trainSupervised } from "./train.ts";

Deno.test("a decoder's shape sets its hidden convolutions and its output", async () => {
  await initBackend("wasm");
  const board = createDecoder({ inChannels: 6, hiddenLayers: 1 }, createRng(1));
  assert.deepEqual(board.map((layer) => layer.kernel.shape), [[3, 3, 6, 6], [3, 3, 6, 1]]);
  const classes = createDecoder(
    { inChannels: 8, hiddenLayers: 2, hiddenChannels: 4, outChannels: 13, outKernel: 1 },
    createRng(1),
  );
  assert.deepEqual(classes.map((layer) => layer.kernel.shape), [
    [3, 3, 8, 4],
    [3, 3, 4, 4],
    [1, 1, 4, 13],
  ]);
  const linear = createDecoder({ inChannels: 5, hiddenLayers: 0, outChannels: 2 }, createRng(1));
  assert.deepEqual(linear.map((layer) => layer.kernel.shape), [[3, 3, 5, 2]]);
  assert.throws(
    () => createDecoder({ inChannels: 5, hiddenLayers: -1 }, createRng(1)),
    /decoder hiddenLayers -1: expected an integer >= 0/,
  );
  tf.dispose([...variablesOf(board), ...variablesOf(classes), ...variablesOf(linear)]);
});

Deno.test("decoding several states in one batch gives each state's own decoding", async () => {
  await initBackend("wasm");
  const decoder = createDecoder({ inChannels: 3, hiddenLayers: 1 }, createRng(2));
  const states = [1, 2, 3].map((seed) =>
    tf.randomUniform([2, 5, 5, 3], -1, 1, "float32", seed) as tf.Tensor4D
  );
  const together = decode(decoder, states);
  states.forEach((state, i) => {
    const [alone] = decode(decoder, [state]);
    assert.deepEqual(together[i].shape, [2, 5, 5, 1]);
    const gap = tf.max(tf.abs(tf.sub(together[i], alone))).dataSync()[0];
    assert.ok(gap < 1e-6, `state ${i} differs by ${gap}`);
  });
});

Deno.test("a copied decoder keeps its weights while the original trains", async () => {
  await initBackend("wasm");
  const decoder = createDecoder({ inChannels: 2, hiddenLayers: 1 }, createRng(3));
  const frozen = copyDecoder(decoder, { trainable: false });
  const before = Array.from(frozen[0].kernel.dataSync());
  const input = tf.randomUniform([4, 4, 4, 2], 0, 1, "float32", 1) as tf.Tensor4D;
  const target = tf.ones([4, 4, 4, 1]) as tf.Tensor4D;
  const losses: number[] = [];
  trainSupervised([decoder], {
    steps: 30,
    learningRate: 1e-2,
    clipValue: 1,
    draw: () => null,
    loss: () => tf.losses.meanSquaredError(target, decode(decoder, [input])[0]) as tf.Scalar,
    onStep: (_, loss) => losses.push(loss),
  });
  assert.equal(losses.length, 30);
  assert.ok(losses[29] < losses[0] / 2, `loss ${losses[0]} -> ${losses[29]}`);
  assert.deepEqual(Array.from(frozen[0].kernel.dataSync()), before);
  assert.notDeepEqual(Array.from(decoder[0].kernel.dataSync()), before);
});

Deno.test("the critic judges boards, and adversarial training moves both decoder and critic", async () => {
  await initBackend("wasm");
  const critic = createCritic({ boardSize: 6, channels: [1, 4, 8] }, createRng(4));
  assert.deepEqual(critic.logit.weight.shape, [2 * 2 * 8, 1]);
  const boards = tf.randomUniform([3, 6, 6, 1], 0, 1, "float32", 2) as tf.Tensor4D;
  assert.deepEqual(criticLogits(critic, boards, { training: false }).shape, [3, 1]);
  const decoder = createDecoder({ inChannels: 2, hiddenLayers: 1 }, createRng(5));
  const input = tf.randomUniform([3, 6, 6, 2], 0, 1, "float32", 3) as tf.Tensor4D;
  const criticBefore = Array.from(critic.logit.weight.dataSync());
  const decoderBefore = Array.from(decoder[1].kernel.dataSync());
  const decoderSteps: number[] = [];
  trainAdversarial(decoder, critic, {
    steps: 3,
    weight: 1,
    learningRate: 1e-2,
    criticLearningRate: 1e-2,
    clipValue: 1,
    criticClipValue: 1,
    dropoutSeed: 7,
    slots: 2,
    draw: () => null,
    decoderLoss: (_, fool) => {
      decoderSteps.push(0);
      return fool(decode(decoder, [input])[0], 0);
    },
    criticLoss: (_, judge) =>
      tf.add(judge(boards, 1, 0), judge(decode(decoder, [input])[0], 0, 1)) as tf.Scalar,
  });
  assert.equal(decoderSteps.length, 3);
  assert.notDeepEqual(Array.from(critic.logit.weight.dataSync()), criticBefore);
  assert.notDeepEqual(Array.from(decoder[1].kernel.dataSync()), decoderBefore);
  tf.dispose(criticVariables(critic));
});
