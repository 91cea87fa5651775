import assert from "node:assert/strict";
import { createRng } from "../stats/rng.ts";
import { hardwareGpuAdapter, initBackend, parseBackendName } from "./backend.ts";
import { tf } from "./tf.ts";
import { loadXnnpack } from "./xnnpack.ts";
import { createStepRunner } from "../train/step.ts";
import { QUICK_CONFIG } from "../models/config.ts";

const nativeAbsent = loadXnnpack() === null;

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

for (const path of ["wasm", "wasm-xnnpack"]) {
  const ignore = path === "wasm-xnnpack" && nativeAbsent;
  Deno.test({
    name: `${path} gradients of a small conv net equal the cpu backend's`,
    ignore,
    async fn() {
      await initBackend(path);
      const cpu = await smallNetGradients("cpu");
      const wasm = await smallNetGradients("wasm");
      for (let i = 0; i < cpu.length; i++) {
        const error = relativeError(wasm[i], cpu[i]);
        console.log(`${path} weight ${i}: relative gradient error ${error.toExponential(2)}`);
        assert.ok(error < 1e-4, `weight ${i}: relative error ${error}`);
      }
    },
  });

  Deno.test({
    name:
      `${path} convolution gradients match cpu for valid, same and explicit padding and strides`,
    ignore,
    async fn() {
      await initBackend(path);
      const cases: [number, tf.backend_util.ExplicitPadding | "same" | "valid", number][] = [
        [1, "valid", 3],
        [1, "same", 5],
        [2, "valid", 3],
        [1, [[0, 0], [2, 0], [1, 2], [0, 0]], 3],
        [1, [[0, 0], [3, 1], [0, 4], [0, 0]], 3],
      ];
      for (const [stride, pad, kernel] of cases) {
        const results: Float32Array[][] = [];
        for (const backend of ["cpu", "wasm"]) {
          await tf.setBackend(backend);
          const x = tf.tensor4d(randomArray(2 * 9 * 7 * 3, 8), [2, 9, 7, 3]);
          const w = tf.tensor4d(randomArray(kernel * kernel * 3 * 4, 9), [kernel, kernel, 3, 4]);
          const bias = tf.tensor1d(randomArray(4, 10));
          const fused = (["linear", "relu", "leakyrelu"] as const).map((activation) =>
            tf.fused.conv2d({
              x,
              filter: w,
              bias,
              strides: stride,
              pad,
              activation,
              leakyreluAlpha: 0.3,
            })
          );
          const [y, [dx, dw]] = [
            tf.concat([tf.conv2d(x, w, stride, pad), ...fused]),
            tf.grads((input, filter) =>
              tf.sum(tf.square(tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, stride, pad)))
            )([x, w]),
          ];
          results.push([y, dx, dw].map((t) => t.dataSync() as Float32Array));
          tf.dispose([x, w, bias, ...fused, y, dx, dw]);
        }
        ["y", "dx", "dw"].forEach((what, i) => {
          const error = relativeError(results[1][i], results[0][i]);
          assert.ok(error < 1e-4, `${path} ${what} stride ${stride} pad ${pad}: ${error}`);
        });
      }
    },
  });
}

/** Losses of a few quick-scale training steps and the final weights, on the active backend. */
function trainedNumbers(steps: number): Float32Array[] {
  const runner = createStepRunner(
    { ...QUICK_CONFIG, train: { ...QUICK_CONFIG.train, trainSequences: 256 } },
    7,
  );
  const losses = Float32Array.from({ length: steps }, () => runner.step());
  const weights = runner.model.steps[0].map((layer) => layer.kernel.dataSync() as Float32Array);
  runner.dispose();
  return [losses, ...weights];
}

Deno.test({
  name: "wasm-xnnpack training is bit-identical run to run, with one thread and with two",
  ignore: nativeAbsent,
  async fn() {
    const runs: Float32Array[][] = [];
    for (const threads of [1, 1, 2]) {
      await initBackend("wasm"); // initBackend keeps an active backend of the same name
      await initBackend("wasm-xnnpack", { threads });
      runs.push(trainedNumbers(4));
    }
    await initBackend("wasm");
    const wasm = trainedNumbers(4);
    for (const run of runs.slice(1)) assert.deepEqual(run, runs[0]);
    // The native path is a different computation: the same numbers would mean it never ran.
    assert.notDeepEqual(runs[0], wasm);
  },
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

Deno.test({
  name: "wasm-xnnpack started first still runs the wasm kernels it falls back to (stride 2)",
  ignore: nativeAbsent,
  async fn() {
    // A fresh process: the wasm backend starts with the native kernels already in place.
    const script = `
      import { initBackend } from "${new URL("./backend.ts", import.meta.url)}";
      import { tf } from "${new URL("./tf.ts", import.meta.url)}";
      await initBackend("wasm-xnnpack");
      const x = tf.ones([1, 6, 6, 2]), w = tf.ones([3, 3, 2, 3]);
      const [dx, dw] = tf.grads((a, b) => tf.sum(tf.conv2d(a, b, 2, "same")))([x, w]);
      console.log(tf.sum(tf.conv2d(x, w, 2, "same")).dataSync()[0], dx.shape, dw.shape);
    `;
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["eval", script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(output.stdout) +
      new TextDecoder().decode(output.stderr);
    assert.ok(output.success, text);
    // "same" at stride 2 pads 6 rows to 7 at the bottom: windows cover 3, 3 and 2 rows (and
    // columns), so the sum is (3 + 3 + 2)^2 taps x 2 input x 3 output channels = 384.
    assert.match(text, /^384 \[ 1, 6, 6, 2 \] \[ 3, 3, 2, 3 \]/);
  },
});

Deno.test("webgpu runs on a hardware adapter and records it, and refuses a software one", async () => {
  const adapter = await hardwareGpuAdapter();
  if (!adapter) {
    await assert.rejects(() => initBackend("webgpu"), /hardware WebGPU adapter/);
    return;
  }
  const info = await initBackend("webgpu");
  assert.equal(info.tfjsBackend, "webgpu");
  assert.equal(info.adapter, adapter);
  await initBackend("wasm");
});

Deno.test("looking for a GPU leaves XDG_RUNTIME_DIR an absolute, existing directory", async () => {
  const valid = Deno.makeTempDirSync({ prefix: "xdg-valid-" });
  const script = `
    import { hardwareGpuAdapter } from "${new URL("./backend.ts", import.meta.url)}";
    await hardwareGpuAdapter();
    console.log(Deno.env.get("XDG_RUNTIME_DIR"));
  `;
  const inherited = Deno.env.toObject();
  delete inherited.XDG_RUNTIME_DIR;
  const probes = [undefined, "", "relative/dir", "/nonexistent-imagination-runtime", valid];
  await Promise.all(probes.map(async (value) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["eval", script],
      clearEnv: true,
      env: value === undefined ? inherited : { ...inherited, XDG_RUNTIME_DIR: value },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assert.ok(output.success, stderr);
    assert.doesNotMatch(stderr, /XDG_RUNTIME_DIR/);
    const dir = new TextDecoder().decode(output.stdout).trim();
    if (value === valid) assert.equal(dir, valid, "a valid directory is kept");
    else {
      assert.match(dir, /^\//, `XDG_RUNTIME_DIR ${JSON.stringify(value)} replaced`);
      assert.ok(Deno.statSync(dir).isDirectory, dir);
    }
  }));
  Deno.removeSync(valid);
});
