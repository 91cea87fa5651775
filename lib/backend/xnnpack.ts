/**
 * Native XNNPACK convolutions for the WebAssembly backend, through Deno's FFI.
 *
 * Debian's `libxnnpack0` (with `libpthreadpool0`) runs the same convolutions as the wasm
 * build of XNNPACK inside TF.js, but with the CPU's full vector width instead of 128-bit wasm
 * SIMD. {@link installNativeConvolutions} replaces the wasm backend's `Conv2D`, `FusedConv2D`
 * (linear, relu, relu6), `Conv2DBackpropInput` and `Conv2DBackpropFilter` kernels (stride 1, NHWC, no dilation) with
 * calls into the native library on the tensors in the wasm heap; everything else stays wasm.
 * The library is optional: {@link loadXnnpack} returns null when it is absent.
 *
 * @module
 */
import { tf } from "./tf.ts";

/** Where Debian's package puts the libraries; the loader's search path is tried second. */
const LIBRARY_DIRECTORY = "/usr/lib/x86_64-linux-gnu";

const XNN_SYMBOLS = {
  xnn_initialize: { parameters: ["pointer"], result: "i32" },
  xnn_create_convolution2d_nhwc_f32: {
    parameters: [
      ...Array(11).fill("u32"), // paddings, kernel size, subsampling, dilation, groups
      "usize", // group input channels
      "usize", // group output channels
      "usize", // input channel stride
      "usize", // output channel stride
      "buffer", // kernel, OHWI
      "buffer", // bias or null
      "f32", // output min
      "f32", // output max
      "u32", // flags
      "buffer", // operator out
    ],
    result: "i32",
  },
  xnn_setup_convolution2d_nhwc_f32: {
    parameters: ["pointer", "usize", "usize", "usize", "buffer", "buffer", "pointer"],
    result: "i32",
  },
  xnn_run_operator: { parameters: ["pointer", "pointer"], result: "i32" },
  xnn_delete_operator: { parameters: ["pointer"], result: "i32" },
} as const satisfies Deno.ForeignLibraryInterface;

const POOL_SYMBOLS = {
  pthreadpool_create: { parameters: ["usize"], result: "pointer" },
} as const satisfies Deno.ForeignLibraryInterface;

/** A loaded native XNNPACK: run a convolution, and where it came from. */
export interface Xnnpack {
  /** The library file that was loaded. */
  library: string;
  /** Threads of its pthreadpool (1: the calling thread only). */
  threads: number;
  /**
   * A "valid" or explicitly padded stride-1 convolution, NHWC input, OHWI kernel
   * [outChannels, kernelRows, kernelCols, inChannels], NHWC output.
   */
  conv2d(request: NativeConv2D): void;
}

/** One native convolution: shapes, paddings and the arrays it reads and writes. */
export interface NativeConv2D {
  /** [batch, rows, cols, inChannels] */
  input: Float32Array;
  /** Batch, rows, cols, inChannels of the input. */
  inputShape: [number, number, number, number];
  /** [outChannels, kernelRows, kernelCols, inChannels] */
  kernel: Float32Array;
  /** Kernel rows, kernel cols, out channels. */
  kernelShape: [number, number, number];
  /** Zero padding top, right, bottom, left. */
  padding: [number, number, number, number];
  /** [batch, outRows, outCols, outChannels] */
  output: Float32Array;
  /** [outChannels], added to every output pixel. */
  bias?: Float32Array;
  /** Outputs are clamped to this range (default: none). */
  clamp?: [number, number];
}

function open<S extends Deno.ForeignLibraryInterface>(
  name: string,
  symbols: S,
): { library: Deno.DynamicLibrary<S>; path: string } {
  const paths = [`${LIBRARY_DIRECTORY}/${name}`, name];
  let lastError: unknown;
  for (const path of paths) {
    try {
      return { library: Deno.dlopen(path, symbols), path };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function check(status: number, what: string): void {
  if (status !== 0) throw new Error(`native XNNPACK ${what}: status ${status}`);
}

const loaded = new Map<number, Xnnpack | null>();

/**
 * Loads Debian's libXNNPACK.so.0 and a pthreadpool of `threads` threads (default 1), or
 * returns null when the library or Deno's FFI permission is missing.
 *
 * @example
 * ```ts
 * const xnnpack = loadXnnpack();
 * console.log(xnnpack ? xnnpack.library : "wasm only");
 * ```
 */
export function loadXnnpack(options: { threads?: number } = {}): Xnnpack | null {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`native threads ${threads}: expected an integer >= 1`);
  }
  if (loaded.has(threads)) return loaded.get(threads)!;
  let xnnpack: Xnnpack | null = null;
  try {
    const { library, path } = open("libXNNPACK.so.0", XNN_SYMBOLS);
    const native = library.symbols;
    check(native.xnn_initialize(null), "initialize");
    const pool = threads > 1
      ? open("libpthreadpool.so.0", POOL_SYMBOLS).library.symbols.pthreadpool_create(
        BigInt(threads),
      )
      : null;
    const operatorOut = new BigUint64Array(1);
    xnnpack = {
      library: path,
      threads,
      conv2d({ input, inputShape, kernel, kernelShape, padding, output, bias, clamp }) {
        const [batch, rows, cols, inChannels] = inputShape;
        const [kernelRows, kernelCols, outChannels] = kernelShape;
        const [top, right, bottom, left] = padding;
        check(
          native.xnn_create_convolution2d_nhwc_f32(
            top,
            right,
            bottom,
            left,
            kernelRows,
            kernelCols,
            1,
            1,
            1,
            1,
            1,
            BigInt(inChannels),
            BigInt(outChannels),
            BigInt(inChannels),
            BigInt(outChannels),
            kernel,
            bias ?? null,
            clamp?.[0] ?? -Infinity,
            clamp?.[1] ?? Infinity,
            0,
            operatorOut,
          ),
          "create convolution",
        );
        const operator = Deno.UnsafePointer.create(operatorOut[0]);
        try {
          check(
            native.xnn_setup_convolution2d_nhwc_f32(
              operator,
              BigInt(batch),
              BigInt(rows),
              BigInt(cols),
              input,
              output,
              pool,
            ),
            "setup convolution",
          );
          check(native.xnn_run_operator(operator, pool), "run convolution");
        } finally {
          native.xnn_delete_operator(operator);
        }
      },
    };
  } catch {
    xnnpack = null;
  }
  loaded.set(threads, xnnpack);
  return xnnpack;
}

type TensorInfo = tf.TensorInfo;
type Shape4D = [number, number, number, number];
type ConvAttrs = {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dilations?: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil";
};

/** The parts of TF.js's wasm backend the native kernels use. */
interface WasmBackend {
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/** A stride-1, undilated, NHWC float convolution, which the native kernels handle. */
function nativeInfo(
  xShape: Shape4D,
  filterShape: Shape4D,
  attrs: ConvAttrs,
): tf.backend_util.Conv2DInfo | null {
  if (attrs.dataFormat === "NCHW") return null;
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { top, right, bottom, left } = info.padInfo;
  const unit = info.strideHeight === 1 && info.strideWidth === 1 &&
    info.dilationHeight === 1 && info.dilationWidth === 1 &&
    Math.min(top, right, bottom, left) >= 0;
  return unit ? info : null;
}

/** HWIO [rows, cols, in, out] to OHWI, optionally rotated 180 degrees with in and out swapped. */
function toOhwi(hwio: Float32Array, shape: Shape4D, flipped: boolean): Float32Array {
  const [rows, cols, inChannels, outChannels] = shape;
  const out = new Float32Array(hwio.length);
  let source = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      for (let i = 0; i < inChannels; i++) {
        for (let o = 0; o < outChannels; o++) {
          const target = flipped
            ? ((i * rows + rows - 1 - r) * cols + cols - 1 - c) * outChannels + o
            : ((o * rows + r) * cols + c) * inChannels + i;
          out[target] = hwio[source++];
        }
      }
    }
  }
  return out;
}

/** Output ranges of the fused activations that XNNPACK applies as a clamp. */
const FUSED_CLAMPS: Record<string, [number, number]> = {
  linear: [-Infinity, Infinity],
  relu: [0, Infinity],
  relu6: [0, 6],
};

function paddingOf(info: tf.backend_util.Conv2DInfo): [number, number, number, number] {
  const { top, right, bottom, left } = info.padInfo;
  return [top, right, bottom, left];
}

/** A tensor handle on a kernel input; it holds its own reference, so disposing it is safe. */
function asTensor(info: TensorInfo): tf.Tensor4D {
  const engine = tf.engine();
  engine.backend.incRef(info.dataId);
  return engine.makeTensorFromTensorInfo(info) as tf.Tensor4D;
}

function nativeKernels(xnnpack: Xnnpack, fallback: Map<string, tf.KernelConfig>) {
  // Forward convolution of x with its filter (HWIO, reordered to OHWI), optionally fused.
  const convolve = (
    args: Parameters<tf.KernelFunc>[0],
    info: NonNullable<ReturnType<typeof nativeInfo>>,
    fused: { bias?: TensorInfo; clamp?: [number, number] } = {},
  ) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const backend = args.backend as unknown as WasmBackend;
    const kernel = toOhwi(backend.typedArrayFromHeap(filter), filter.shape as Shape4D, false);
    const out = backend.makeOutput(info.outShape, "float32");
    xnnpack.conv2d({
      input: backend.typedArrayFromHeap(x),
      inputShape: x.shape as Shape4D,
      kernel,
      kernelShape: [info.filterHeight, info.filterWidth, info.outChannels],
      padding: paddingOf(info),
      output: backend.typedArrayFromHeap(out),
      // Heap views are taken after makeOutput, which may grow the wasm memory.
      bias: fused.bias ? backend.typedArrayFromHeap(fused.bias) as Float32Array : undefined,
      clamp: fused.clamp,
    });
    return out;
  };
  const forward: tf.KernelFunc = (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs;
    const info = nativeInfo(x.shape as Shape4D, filter.shape as Shape4D, attrs);
    if (!info) return fallback.get("Conv2D")!.kernelFunc(args);
    return convolve(args, info);
  };
  // Conv + bias with a clamp-type activation; the others (LeakyRelu, PReLU...) stay wasm.
  const fused: tf.KernelFunc = (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo>;
    const attrs = args.attrs as unknown as ConvAttrs & { activation: string };
    const clamp = FUSED_CLAMPS[attrs.activation];
    const info = nativeInfo(x.shape as Shape4D, filter.shape as Shape4D, attrs);
    if (!info || !clamp || preluActivationWeights || (bias && bias.shape.length !== 1)) {
      return fallback.get("FusedConv2D")!.kernelFunc(args);
    }
    return convolve(args, info, { bias, clamp });
  };
  // dx = dy convolved with the filter rotated by 180 degrees, in and out channels swapped.
  const inputGradient: tf.KernelFunc = (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { inputShape: Shape4D };
    const info = nativeInfo(attrs.inputShape, filter.shape as Shape4D, attrs);
    if (!info) return fallback.get("Conv2DBackpropInput")!.kernelFunc(args);
    const backend = args.backend as unknown as WasmBackend;
    const [rows, cols] = filter.shape;
    const [top, right, bottom, left] = paddingOf(info);
    if (Math.max(top, bottom) >= rows || Math.max(left, right) >= cols) {
      return fallback.get("Conv2DBackpropInput")!.kernelFunc(args);
    }
    const kernel = toOhwi(backend.typedArrayFromHeap(filter), filter.shape as Shape4D, true);
    const out = backend.makeOutput(attrs.inputShape, "float32");
    xnnpack.conv2d({
      input: backend.typedArrayFromHeap(dy),
      inputShape: dy.shape as Shape4D,
      kernel,
      kernelShape: [rows, cols, info.inChannels],
      padding: [rows - 1 - top, cols - 1 - right, rows - 1 - bottom, cols - 1 - left],
      output: backend.typedArrayFromHeap(out),
    });
    return out;
  };
  // dW[kh, kw, ci, co]: x as [ci, rows, cols, batch] convolved with dy as the OHWI kernel
  // [co, outRows, outCols, batch] gives [ci, kh, kw, co].
  const filterGradient: tf.KernelFunc = (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { filterShape: Shape4D };
    const info = nativeInfo(x.shape as Shape4D, attrs.filterShape, attrs);
    if (!info) return fallback.get("Conv2DBackpropFilter")!.kernelFunc(args);
    const backend = args.backend as unknown as WasmBackend;
    const [kernelRows, kernelCols, inChannels, outChannels] = attrs.filterShape;
    const [images, kernel] = tf.tidy(() => [
      tf.transpose(asTensor(x), [3, 1, 2, 0]),
      tf.transpose(asTensor(dy), [3, 1, 2, 0]),
    ]);
    const gradient = new Float32Array(inChannels * kernelRows * kernelCols * outChannels);
    xnnpack.conv2d({
      input: backend.typedArrayFromHeap(images),
      inputShape: images.shape as Shape4D,
      kernel: backend.typedArrayFromHeap(kernel),
      kernelShape: [info.outHeight, info.outWidth, outChannels],
      padding: paddingOf(info),
      output: gradient,
    });
    tf.dispose([images, kernel]);
    const out = backend.makeOutput(attrs.filterShape, "float32");
    const target = backend.typedArrayFromHeap(out);
    let source = 0;
    for (let i = 0; i < inChannels; i++) {
      for (let r = 0; r < kernelRows; r++) {
        for (let c = 0; c < kernelCols; c++) {
          const base = ((r * kernelCols + c) * inChannels + i) * outChannels;
          for (let o = 0; o < outChannels; o++) target[base + o] = gradient[source++];
        }
      }
    }
    return out;
  };
  return {
    Conv2D: forward,
    FusedConv2D: fused,
    Conv2DBackpropInput: inputGradient,
    Conv2DBackpropFilter: filterGradient,
  };
}

const wasmKernels = new Map<string, tf.KernelConfig>();
let installed: Xnnpack | null = null;

function replaceKernel(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, "wasm")) tf.unregisterKernel(config.kernelName, "wasm");
  tf.registerKernel(config);
}

/**
 * Routes the wasm backend's stride-1 convolutions and their two gradients to native XNNPACK
 * (other strides, dilations and NCHW keep the wasm kernels). Call after the wasm training
 * kernels are registered; {@link uninstallNativeConvolutions} restores them.
 *
 * @example
 * ```ts
 * const xnnpack = loadXnnpack();
 * if (xnnpack) installNativeConvolutions(xnnpack);
 * ```
 */
export function installNativeConvolutions(xnnpack: Xnnpack): void {
  if (installed === xnnpack) return;
  if (!installed) {
    for (const name of ["Conv2D", "FusedConv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter"]) {
      const config = tf.getKernel(name, "wasm");
      if (!config) throw new Error(`native XNNPACK: the wasm backend has no ${name} kernel`);
      wasmKernels.set(name, config);
    }
  }
  installed = xnnpack;
  for (const [kernelName, kernelFunc] of Object.entries(nativeKernels(xnnpack, wasmKernels))) {
    // The wasm kernel's setup still runs when the backend starts: the fallback calls it.
    replaceKernel({ ...wasmKernels.get(kernelName)!, kernelFunc });
  }
}

/**
 * Puts the wasm convolution kernels back (no-op when native ones are not installed).
 *
 * @example
 * ```ts
 * uninstallNativeConvolutions();
 * ```
 */
export function uninstallNativeConvolutions(): void {
  if (!installed) return;
  for (const config of wasmKernels.values()) replaceKernel(config);
  installed = null;
}
