/**
 * Running a frozen Lc0-style network in onnxruntime-node, with its intermediate activations.
 *
 * The graph is read before the session starts and the activations of the input block, of every
 * residual block and of the final trunk are added as graph outputs. They are found by Lc0's
 * node names (see {@link LC0_NAMES} and `onnx_export.ts`), whatever the activation function:
 * the input of `/block{i}/conv1` is the output of the block before it (of the input block for
 * i = 0), and the input of `/value/conv` is the final trunk. This works for our shipped network
 * and for a convolutional Lc0 network exported with `lc0 leela2onnx`; anything else (attention
 * bodies, float16 graphs, other input layouts) is refused with an error that says why.
 *
 * @module
 */
import { createHash } from "node:crypto";
import onnxProto from "onnx-proto";
import * as ort from "onnxruntime-node";
import { INPUT_PLANES, SQUARES } from "./board.ts";
import { LC0_NAMES } from "./net/onnx_export.ts";
import { POLICY_MOVES } from "./policy.ts";

const { onnx } = onnxProto;

/** A loaded network. */
export interface ChessNetwork {
  /** Where it came from (a path, or "bytes"). */
  source: string;
  /** SHA-256 of the ONNX file, 16 hex digits. */
  sha256: string;
  /** Layer names, in order: "input", "block0", ..., the last block being the final trunk. */
  layers: string[];
  /** The graph tensor behind each layer. */
  tensors: string[];
  /** The onnxruntime session. */
  session: ort.InferenceSession;
}

/** One batch's outputs. */
export interface NetworkOutputs {
  /** Per layer, activations [count, channels, 8, 8] (NCHW as ONNX). */
  activations: Float32Array[];
  /** Channels of each layer. */
  channels: number[];
  /** Policy logits [count, 1858] in Lc0's move order. */
  policy: Float32Array;
}

function unsupported(source: string, why: string): Error {
  return new Error(
    `network ${source}: unsupported graph: ${why}. Expected an Lc0-style convolutional network ` +
      `in float32 ONNX as \`lc0 leela2onnx\` writes it: input "${LC0_NAMES.input}" ` +
      `[batch, 112, 8, 8], nodes "/inputconv", "/block{i}/conv1" and "/value/conv", output ` +
      `"${LC0_NAMES.policy}" [batch, 1858]`,
  );
}

function dims(info: onnxProto.onnx.IValueInfoProto): (number | string)[] {
  return (info.type?.tensorType?.shape?.dim ?? []).map((d) =>
    d.dimParam ? d.dimParam : Number(d.dimValue ?? 0)
  );
}

/**
 * Finds the layer tensors of a decoded graph and returns the model with them as outputs.
 * Throws a clear error for a graph that does not have Lc0's layout.
 */
function withLayerOutputs(
  model: onnxProto.onnx.ModelProto,
  source: string,
): { layers: string[]; tensors: string[] } {
  const graph = model.graph as onnxProto.onnx.GraphProto | null;
  if (!graph) throw unsupported(source, "the file has no graph (is it an ONNX model?)");
  const input = graph.input.find((info) => info.name === LC0_NAMES.input);
  if (!input) {
    throw unsupported(
      source,
      `no input named "${LC0_NAMES.input}" (inputs: ${
        graph.input.map((i) => i.name).join(", ") || "none"
      })`,
    );
  }
  if (input.type?.tensorType?.elemType !== 1) throw unsupported(source, "the input is not float32");
  const inputDims = dims(input);
  if (
    inputDims.length !== 4 || inputDims[1] !== INPUT_PLANES || inputDims[2] !== 8 ||
    inputDims[3] !== 8
  ) {
    throw unsupported(source, `input shape [${inputDims.join(", ")}]`);
  }
  if (!graph.output.some((info) => info.name === LC0_NAMES.policy)) {
    throw unsupported(source, `no output named "${LC0_NAMES.policy}"`);
  }
  const byName = new Map(graph.node.map((n) => [n.name ?? "", n]));
  const inputOf = (name: string) => {
    const found = byName.get(name);
    return found && found.opType === "Conv" ? found.input?.[0] : undefined;
  };
  const tensors: string[] = [];
  const layers: string[] = [];
  for (let block = 0; inputOf(`/block${block}/conv1`); block++) {
    tensors.push(inputOf(`/block${block}/conv1`)!);
    layers.push(block === 0 ? "input" : `block${block - 1}`);
  }
  if (tensors.length === 0) {
    throw unsupported(source, 'no Conv node "/block0/conv1" (no residual tower)');
  }
  const trunk = inputOf("/value/conv");
  if (!trunk) throw unsupported(source, 'no Conv node "/value/conv" (no convolutional value head)');
  tensors.push(trunk);
  layers.push(`block${layers.length - 1}`);
  for (const tensor of tensors) {
    if (!graph.output.some((info) => info.name === tensor)) {
      graph.output.push(onnx.ValueInfoProto.create({
        name: tensor,
        type: { tensorType: { elemType: 1 } },
      }));
    }
  }
  return { layers, tensors };
}

/**
 * Loads an ONNX network (a path or the file's bytes) with its layers as extra outputs.
 *
 * @example
 * ```ts
 * const network = await loadNetwork("fixtures/chess/network.onnx");
 * network.layers; // ["input", "block0", ..., "block5"]
 * ```
 */
export async function loadNetwork(file: string | Uint8Array): Promise<ChessNetwork> {
  const source = typeof file === "string" ? file : "bytes";
  let bytes: Uint8Array;
  try {
    bytes = typeof file === "string" ? Deno.readFileSync(file) : file;
  } catch (error) {
    throw new Error(`network ${source}: cannot read it (${(error as Error).message})`);
  }
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw unsupported(source, `not an ONNX protobuf (${(error as Error).message})`);
  }
  const { layers, tensors } = withLayerOutputs(model, source);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(onnx.ModelProto.encode(model).finish());
  } catch (error) {
    throw unsupported(source, `onnxruntime cannot run it (${(error as Error).message})`);
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
  return { source, sha256, layers, tensors, session };
}

/**
 * Runs a batch of positions (planes from `encodePlanes`, `count * 112 * 64` floats).
 *
 * @example
 * ```ts
 * const { activations, policy } = await runNetwork(network, planes, count);
 * ```
 */
export async function runNetwork(
  network: ChessNetwork,
  planes: Float32Array,
  count: number,
): Promise<NetworkOutputs> {
  if (planes.length !== count * INPUT_PLANES * SQUARES) {
    throw new RangeError(
      `planes: ${planes.length} floats for ${count} positions; expected ${
        count * INPUT_PLANES * SQUARES
      }`,
    );
  }
  const feeds = {
    [LC0_NAMES.input]: new ort.Tensor("float32", planes, [count, INPUT_PLANES, 8, 8]),
  };
  const results = await network.session.run(feeds, [LC0_NAMES.policy, ...network.tensors]);
  const policy = results[LC0_NAMES.policy];
  if (policy.dims[1] !== POLICY_MOVES) {
    throw new Error(
      `network ${network.source}: policy has ${policy.dims[1]} outputs; expected ${POLICY_MOVES}`,
    );
  }
  const activations = network.tensors.map((name) => results[name].data as Float32Array);
  const channels = network.tensors.map((name) => {
    const shape = results[name].dims;
    if (shape.length !== 4 || shape[2] !== 8 || shape[3] !== 8) {
      throw new Error(
        `network ${network.source}: layer ${name} has shape [${
          shape.join(", ")
        }]; expected [batch, channels, 8, 8]`,
      );
    }
    return Number(shape[1]);
  });
  return { activations, channels, policy: policy.data as Float32Array };
}
