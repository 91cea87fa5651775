/**
 * Training kernels for the WebAssembly backend of TF.js 4.22.
 *
 * The wasm backend ships no `Conv2DBackpropFilter`, so no conv net can train on it, and its
 * `Conv2DBackpropInput` is a plain loop that is much slower than its XNNPACK forward
 * convolution. Both are registered here from existing fast ops:
 * - filter gradient: for stride 1, one forward convolution with batch and channels swapped;
 *   otherwise im2col (one strided slice per kernel tap) and one matrix product;
 * - input gradient (stride 1): a forward convolution of the output gradient with the flipped,
 *   transposed filter; other strides keep the backend's own kernel.
 *
 * @module
 */
import { tf } from "./tf.ts";

type TensorInfo = tf.TensorInfo;
type Conv2DAttrs = {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
};

/** A tensor handle on a kernel input; it holds its own reference, so disposing it is safe. */
function asTensor<R extends tf.Rank>(info: TensorInfo): tf.Tensor<R> {
  const engine = tf.engine();
  engine.backend.incRef(info.dataId);
  return engine.makeTensorFromTensorInfo(info) as tf.Tensor<R>;
}

function convInfoOf(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: Conv2DAttrs,
): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat === "NCHW") {
    throw new Error("wasm training kernels: dataFormat NCHW is not supported; use NHWC");
  }
  return tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

/**
 * Gradient of a 2-D convolution with respect to its filter:
 * dW[kh, kw, ci, co] = sum over batch and output pixels of x_padded[...] * dy[...].
 */
export function conv2DBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  attrs: Conv2DAttrs,
): tf.Tensor4D {
  const info = convInfoOf(x.shape, filterShape, attrs);
  const [kernelRows, kernelCols, inChannels, outChannels] = filterShape;
  const { top, bottom, left, right } = info.padInfo;
  if (info.strideHeight === 1 && info.strideWidth === 1) {
    // Stride 1: one XNNPACK convolution with channels and batch swapped, 5-10x faster than
    // im2col: x as [inChannels, rows, cols, batch] convolved with dy as a filter
    // [outRows, outCols, batch, outChannels] gives [inChannels, kernelRows, kernelCols, outChannels].
    return tf.tidy(() => {
      const images = tf.transpose(x, [3, 1, 2, 0]);
      const filter = tf.transpose(dy, [1, 2, 0, 3]);
      const gradient = tf.conv2d(images, filter, 1, [[0, 0], [top, bottom], [left, right], [0, 0]]);
      return tf.transpose(gradient, [1, 2, 0, 3]);
    });
  }
  return tf.tidy(() => {
    const padded = tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
    const taps: tf.Tensor4D[] = [];
    for (let kh = 0; kh < kernelRows; kh++) {
      for (let kw = 0; kw < kernelCols; kw++) {
        taps.push(tf.stridedSlice(
          padded,
          [0, kh, kw, 0],
          [
            info.batchSize,
            kh + (info.outHeight - 1) * info.strideHeight + 1,
            kw + (info.outWidth - 1) * info.strideWidth + 1,
            inChannels,
          ],
          [1, info.strideHeight, info.strideWidth, 1],
        ) as tf.Tensor4D);
      }
    }
    const pixels = info.batchSize * info.outHeight * info.outWidth;
    const columns = tf.reshape(tf.concat(taps, 3), [pixels, kernelRows * kernelCols * inChannels]);
    const gradient = tf.matMul(columns, tf.reshape(dy, [pixels, outChannels]), true, false);
    return tf.reshape(gradient, filterShape);
  });
}

/**
 * Gradient of a stride-1 2-D convolution with respect to its input, as a forward
 * convolution of `dy` with the filter rotated by 180 degrees and its channels swapped.
 */
export function conv2DBackpropInputStride1(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: [number, number, number, number],
  attrs: Conv2DAttrs,
): tf.Tensor4D {
  const info = convInfoOf(inputShape, filter.shape, attrs);
  const [kernelRows, kernelCols] = filter.shape;
  const { top, bottom, left, right } = info.padInfo;
  return tf.tidy(() => {
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    const padding: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [kernelRows - 1 - top, kernelRows - 1 - bottom],
      [kernelCols - 1 - left, kernelCols - 1 - right],
      [0, 0],
    ];
    return tf.conv2d(dy, flipped as tf.Tensor4D, 1, padding);
  });
}

function isStride1(strides: number | [number, number]): boolean {
  return Array.isArray(strides) ? strides[0] === 1 && strides[1] === 1 : strides === 1;
}

let registered = false;

/**
 * Registers the kernels above for the "wasm" backend (idempotent). Called by
 * {@link initBackend} whenever wasm is chosen.
 *
 * @example
 * ```ts
 * registerWasmTrainingKernels();
 * await tf.setBackend("wasm");
 * ```
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: "Conv2DBackpropFilter",
    backendName: "wasm",
    kernelFunc: ({ inputs, attrs }) => {
      const typed = attrs as unknown as Conv2DAttrs & {
        filterShape: [number, number, number, number];
      };
      return tf.tidy(() =>
        conv2DBackpropFilter(
          asTensor<tf.Rank.R4>(inputs.x as TensorInfo),
          asTensor<tf.Rank.R4>(inputs.dy as TensorInfo),
          typed.filterShape,
          typed,
        )
      );
    },
  });
  const original = tf.getKernel("Conv2DBackpropInput", "wasm");
  if (!original) return;
  tf.unregisterKernel("Conv2DBackpropInput", "wasm");
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const typed = args.attrs as unknown as Conv2DAttrs & {
        inputShape: [number, number, number, number];
      };
      if (!isStride1(typed.strides) || typed.dataFormat === "NCHW") {
        return original.kernelFunc(args);
      }
      return tf.tidy(() =>
        conv2DBackpropInputStride1(
          asTensor<tf.Rank.R4>(args.inputs.dy as TensorInfo),
          asTensor<tf.Rank.R4>(args.inputs.filter as TensorInfo),
          typed.inputShape,
          typed,
        )
      );
    },
  });
}
