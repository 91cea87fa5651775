import assert from "node:assert/strict";
import { createRng } from "../stats/rng.ts";
import { initBackend, parseBackendName } from "./backend.ts";
import { tf } from "./tf.ts";
import { registerWasmTrainingKernels } from "./wasm_kernels.ts";

function randomArray(size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: size }, () => rng.normal());
}

/** Gradients of a small conv net (LeakyReLU, residual, strided conv, dense) on a backend. */
async function smallNetGradients(backend: string): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(randomArray(4 * 8 * 8 * 2, 1), [4, 8, 8, 2]);
  const target = tf.tensor4d(randomArray(4 * 8 * 8, 2), [4, 8, 8, 1]);
  const weights = [
    tf.variable(
      tf.tensor4d(randomArray(3 * 3 * 2 * 6, 3), [3, 3, 2, 6]).mul(0.3),
      true,
      `a${backend}`,
    ),
    tf.variable(
      tf.tensor4d(randomArray(3 * 3 * 6 * 6, 4), [3, 3, 6, 6]).mul(0.3),
      true,
      `b${backend}`,
    ),
    tf.variable(
      tf.tensor4d(randomArray(3 * 3 * 6 * 1, 5), [3, 3, 6, 1]).mul(0.3),
      true,
      `c${backend}`,
    ),
    tf.variable(
      tf.tensor4d(randomArray(3 * 3 * 6 * 4, 6), [3, 3, 6, 4]).mul(0.3),
      true,
      `d${backend}`,
    ),
    tf.variable(
      tf.tensor2d(randomArray(4 * 4 * 4, 7), [4 * 4 * 4, 1]).mul(0.3),
      true,
      `e${backend}`,
    ),
  ] as tf.Variable[];
  const { grads } = tf.variableGrads(() => {
    const h = tf.leakyRelu(tf.conv2d(x, weights[0] as tf.Tensor4D, 1, "same"), 0.3);
    const stepped = tf.add(
      h,
      tf.leakyRelu(tf.conv2d(h, weights[1] as tf.Tensor4D, 1, "same"), 0.3),
    );
    const decoded = tf.conv2d(stepped as tf.Tensor4D, weights[2] as tf.Tensor4D, 1, "same");
    const strided = tf.leakyRelu(
      tf.conv2d(stepped as tf.Tensor4D, weights[3] as tf.Tensor4D, 2, "same"),
      0.3,
    );
    const logit = tf.matMul(tf.reshape(strided, [4, 64]), weights[4] as tf.Tensor2D);
    return tf.add(
      tf.losses.meanSquaredError(target, decoded),
      tf.mean(tf.square(logit)),
    ) as tf.Scalar;
  }, weights);
  const result = weights.map((w) => grads[w.name].dataSync() as Float32Array);
  tf.dispose([x, target, ...weights, ...Object.values(grads)]);
  return result;
}

function relativeError(a: Float32Array, b: Float32Array): number {
  let difference = 0, norm = 0;
  for (let i = 0; i < a.length; i++) {
    difference += (a[i] - b[i]) ** 2;
    norm += b[i] ** 2;
  }
  return Math.sqrt(difference / norm);
}

Deno.test("wasm gradients of a small conv net equal the cpu backend's", async () => {
  await initBackend("wasm");
  const cpu = await smallNetGradients("cpu");
  const wasm = await smallNetGradients("wasm");
  for (let i = 0; i < cpu.length; i++) {
    const error = relativeError(wasm[i], cpu[i]);
    console.log(`weight ${i}: relative gradient error ${error.toExponential(2)}`);
    assert.ok(error < 1e-4, `weight ${i}: relative error ${error}`);
  }
});

Deno.test("wasm convolution gradients match cpu for valid, same and explicit padding and strides", async () => {
  registerWasmTrainingKernels();
  const cases: [number, tf.backend_util.ExplicitPadding | "same" | "valid", number][] = [
    [1, "valid", 3],
    [1, "same", 5],
    [2, "valid", 3],
    [1, [[0, 0], [2, 0], [1, 2], [0, 0]], 3],
  ];
  for (const [stride, pad, kernel] of cases) {
    const results: Float32Array[][] = [];
    for (const backend of ["cpu", "wasm"]) {
      await tf.setBackend(backend);
      const x = tf.tensor4d(randomArray(2 * 9 * 7 * 3, 8), [2, 9, 7, 3]);
      const w = tf.tensor4d(randomArray(kernel * kernel * 3 * 4, 9), [kernel, kernel, 3, 4]);
      const [dx, dw] = tf.grads((input, filter) =>
        tf.sum(tf.square(tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, stride, pad)))
      )([x, w]);
      results.push([dx.dataSync() as Float32Array, dw.dataSync() as Float32Array]);
      tf.dispose([x, w, dx, dw]);
    }
    assert.ok(relativeError(results[1][0], results[0][0]) < 1e-4, `dx ${stride} ${pad}`);
    assert.ok(relativeError(results[1][1], results[0][1]) < 1e-4, `dw ${stride} ${pad}`);
  }
});

Deno.test("naming an unknown or absent backend says what to do", async () => {
  assert.throws(() => parseBackendName("gpu"), /backend "gpu": expected one of auto, /);
  await assert.rejects(
    () => initBackend("tensorflow-gpu"),
    /tfjs-node-gpu is not installed; install it/,
  );
});

Deno.test("auto picks a working backend and names it", async () => {
  const info = await initBackend("auto");
  assert.ok(["tensorflow-gpu", "tensorflow", "webgpu", "wasm", "cpu"].includes(info.name));
  assert.equal(info.tfjsVersion, "4.22.0");
});
