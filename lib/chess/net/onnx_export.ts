/**
 * Exports a {@link ChessNet} to ONNX with Lc0's names (as `lc0 leela2onnx` writes them), so
 * that the code that reads our network reads Lc0 networks the same way:
 *
 * - input `/input/planes` [batch, 112, 8, 8];
 * - `/inputconv` (Conv) and its activation; residual block i: `/block{i}/conv1`,
 *   `/block{i}/conv2`, `/block{i}/conv2/mixin` (the skip) and the activations;
 * - heads `/policy/...` and `/value/conv`, ...; outputs `/output/policy` [batch, 1858] (logits
 *   in Lc0's move order) and `/output/wdl` [batch, 3] (probabilities).
 *
 * @module
 */
import onnxProto from "onnx-proto";
import { tf } from "../../backend/tf.ts";
import type { ConvLayer } from "../../layers/layers.ts";
import { LEAKY_SLOPE } from "../../layers/layers.ts";
import { INPUT_PLANES, USED_PLANES } from "../board.ts";
import type { ChessNet } from "./model.ts";
import { POLICY_GATHER, POLICY_MOVES, POLICY_PLANES } from "../policy.ts";

const { onnx } = onnxProto;

/** Tensor names every Lc0-style graph has, ours included. */
export const LC0_NAMES = {
  input: "/input/planes",
  policy: "/output/policy",
  wdl: "/output/wdl",
} as const;

const FLOAT = 1, INT64 = 7;

interface GraphParts {
  nodes: onnxProto.onnx.INodeProto[];
  initializers: onnxProto.onnx.ITensorProto[];
}

function floatTensor(
  name: string,
  dims: number[],
  values: Float32Array,
): onnxProto.onnx.ITensorProto {
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(values.slice().buffer) };
}

function int64Tensor(name: string, values: number[]): onnxProto.onnx.ITensorProto {
  const data = BigInt64Array.from(values, (v) => BigInt(v));
  return { name, dims: [values.length], dataType: INT64, rawData: new Uint8Array(data.buffer) };
}

function node(
  parts: GraphParts,
  opType: string,
  name: string,
  inputs: string[],
  attribute: onnxProto.onnx.IAttributeProto[] = [],
): string {
  parts.nodes.push({ name, opType, input: inputs, output: [name], attribute });
  return name;
}

function leaky(parts: GraphParts, name: string, input: string): string {
  return node(parts, "LeakyRelu", `${name}/leakyrelu`, [input], [
    { name: "alpha", f: LEAKY_SLOPE, type: onnx.AttributeProto.AttributeType.FLOAT },
  ]);
}

/** TF.js kernel [k, k, in, out] -> ONNX [out, in, k, k], optionally spread over `inputMap`. */
function onnxKernel(layer: ConvLayer, inputMap?: { planes: number; used: readonly number[] }) {
  const [size, , inChannels, outChannels] = layer.kernel.shape;
  const values = tf.tidy(() => tf.transpose(layer.kernel, [3, 2, 0, 1]).dataSync() as Float32Array);
  if (!inputMap) return { dims: [outChannels, inChannels, size, size], values };
  const plane = size * size;
  const spread = new Float32Array(outChannels * inputMap.planes * plane);
  for (let out = 0; out < outChannels; out++) {
    inputMap.used.forEach((target, source) => {
      const from = (out * inChannels + source) * plane;
      spread.set(values.subarray(from, from + plane), (out * inputMap.planes + target) * plane);
    });
  }
  return { dims: [outChannels, inputMap.planes, size, size], values: spread };
}

function conv(
  parts: GraphParts,
  name: string,
  input: string,
  layer: ConvLayer,
  inputMap?: { planes: number; used: readonly number[] },
): string {
  const kernel = onnxKernel(layer, inputMap);
  const pad = (kernel.dims[2] - 1) / 2;
  parts.initializers.push(
    floatTensor(`${name}/w`, kernel.dims, kernel.values),
    floatTensor(`${name}/b`, [layer.bias.shape[0]], layer.bias.dataSync() as Float32Array),
  );
  return node(parts, "Conv", name, [input, `${name}/w`, `${name}/b`], [
    { name: "pads", ints: [pad, pad, pad, pad], type: onnx.AttributeProto.AttributeType.INTS },
  ]);
}

function valueInfo(name: string, dims: (number | "batch")[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (d === "batch" ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

/**
 * The network as ONNX bytes.
 *
 * @example
 * ```ts
 * Deno.writeFileSync("network.onnx", exportChessNet(net));
 * ```
 */
export function exportChessNet(net: ChessNet): Uint8Array {
  const parts: GraphParts = { nodes: [], initializers: [] };
  const dense = (
    name: string,
    input: string,
    layer: { weight: tf.Variable; bias: tf.Variable },
  ) => {
    parts.initializers.push(
      floatTensor(`${name}/w`, layer.weight.shape, layer.weight.dataSync() as Float32Array),
      floatTensor(`${name}/b`, layer.bias.shape, layer.bias.dataSync() as Float32Array),
    );
    const product = node(parts, "MatMul", `${name}/matmul`, [input, `${name}/w`]);
    return node(parts, "Add", `${name}/add`, [product, `${name}/b`]);
  };
  let flow = leaky(
    parts,
    "/inputconv",
    conv(parts, "/inputconv", LC0_NAMES.input, net.input, {
      planes: INPUT_PLANES,
      used: USED_PLANES,
    }),
  );
  net.tower.forEach(([conv1, conv2], i) => {
    const name = `/block${i}`;
    const inner = leaky(parts, `${name}/conv1`, conv(parts, `${name}/conv1`, flow, conv1));
    const sum = node(parts, "Add", `${name}/conv2/mixin`, [
      conv(parts, `${name}/conv2`, inner, conv2),
      flow,
    ]);
    flow = leaky(parts, `${name}/conv2`, sum);
  });
  const trunk = flow;

  let policy = leaky(parts, "/policy/conv1", conv(parts, "/policy/conv1", trunk, net.policy[0]));
  policy = conv(parts, "/policy/conv2", policy, net.policy[1]);
  policy = node(parts, "Transpose", "/policy/transpose", [policy], [
    { name: "perm", ints: [0, 2, 3, 1], type: onnx.AttributeProto.AttributeType.INTS },
  ]);
  parts.initializers.push(
    int64Tensor("/const/policy_shape", [-1, 64 * POLICY_PLANES]),
    int64Tensor("/const/mapping_table", Array.from(POLICY_GATHER)),
  );
  policy = node(parts, "Reshape", "/policy/flatten", [policy, "/const/policy_shape"]);
  node(parts, "Gather", LC0_NAMES.policy, [policy, "/const/mapping_table"], [
    { name: "axis", i: 1, type: onnx.AttributeProto.AttributeType.INT },
  ]);

  let value = leaky(parts, "/value/conv", conv(parts, "/value/conv", trunk, net.valueConv));
  parts.initializers.push(int64Tensor("/const/value_shape", [-1, net.config.valueChannels * 64]));
  value = node(parts, "Reshape", "/value/reshape", [value, "/const/value_shape"]);
  value = leaky(parts, "/value/dense1", dense("/value/dense1", value, net.valueDense[0]));
  value = dense("/value/dense2", value, net.valueDense[1]);
  node(parts, "Softmax", LC0_NAMES.wdl, [value], [
    { name: "axis", i: 1, type: onnx.AttributeProto.AttributeType.INT },
  ]);

  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: "imagination-lens",
    opsetImport: [{ version: 13 }],
    graph: {
      name: "imagination-lens-chess",
      node: parts.nodes,
      initializer: parts.initializers,
      input: [valueInfo(LC0_NAMES.input, ["batch", INPUT_PLANES, 8, 8])],
      output: [
        valueInfo(LC0_NAMES.policy, ["batch", POLICY_MOVES]),
        valueInfo(LC0_NAMES.wdl, ["batch", 3]),
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
