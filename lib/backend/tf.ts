/**
 * The one TF.js instance every module uses, with the WebAssembly backend registered.
 * Import `tf` from here, never from "@tensorflow/tfjs" directly, so that kernels registered
 * by {@link registerWasmTrainingKernels} and the chosen backend apply everywhere.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

export { tf };

// Production mode skips per-op debug checks (and the console hint to install tfjs-node).
tf.enableProdMode();
