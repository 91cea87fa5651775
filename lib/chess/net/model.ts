/**
 * The small AlphaZero-style policy/value network we build and study (TF.js, used to train it;
 * the study runs its ONNX export). Read top to bottom:
 *
 * - input block: 3x3 convolution of the input planes to `filters` channels, LeakyReLU;
 * - tower: `blocks` residual blocks, each two 3x3 convolutions with a skip connection,
 *   `x -> act(x + conv2(act(conv1(x))))`;
 * - policy head: 3x3 convolution + LeakyReLU, 1x1 convolution to 73 planes per square
 *   (AlphaZero's move planes), gathered into Lc0's 1858 moves in the ONNX export;
 * - value head: 1x1 convolution to `valueChannels`, dense `valueHidden`, dense 3 (win, draw,
 *   loss logits).
 *
 * Like Lc0 networks the ONNX graph reads all 112 input planes; the TF.js model reads only the
 * 20 planes a position from FEN can set ({@link USED_PLANES}), and the export gives the other
 * planes zero weights.
 *
 * @module
 */
import { tf } from "../../backend/tf.ts";
import {
  applyDense,
  type ConvLayer,
  convLayer,
  convStack,
  type DenseLayer,
  denseLayer,
  LEAKY_SLOPE,
  variablesOf,
} from "../../layers/layers.ts";
import type { Rng } from "../../stats/rng.ts";
import { USED_PLANES } from "../board.ts";
import { POLICY_PLANES } from "../policy.ts";

/** Sizes of the network. */
export interface ChessNetConfig {
  /** Channels of the trunk. */
  filters: number;
  /** Residual blocks. */
  blocks: number;
  /** Channels of the value head's 1x1 convolution. */
  valueChannels: number;
  /** Hidden units of the value head. */
  valueHidden: number;
  /**
   * Start every residual block's second convolution at zero, so that the untrained tower is
   * the identity on the residual stream and training adds to it (the "zero-init last layer of
   * each residual branch" practice of Goyal et al. 2017). Default false, as the shipped
   * network was built; `deno task chess:build --zero-init-residual` sets it.
   */
  zeroInitResidual?: boolean;
}

/** The shipped network's sizes: small enough to train on two CPU cores in minutes. */
export const SHIPPED_NET_CONFIG: ChessNetConfig = {
  filters: 32,
  blocks: 6,
  valueChannels: 8,
  valueHidden: 64,
};

/** The network's variables. */
export interface ChessNet {
  /** Sizes. */
  config: ChessNetConfig;
  /** Input block. */
  input: ConvLayer;
  /** Residual blocks: [conv1, conv2]. */
  tower: [ConvLayer, ConvLayer][];
  /** Policy head: 3x3 conv then 1x1 conv to 73 planes. */
  policy: [ConvLayer, ConvLayer];
  /** Value head: 1x1 conv. */
  valueConv: ConvLayer;
  /** Value head: hidden and output dense layers. */
  valueDense: [DenseLayer, DenseLayer];
}

/**
 * A freshly initialised network, every weight drawn from `rng`.
 *
 * @example
 * ```ts
 * const net = createChessNet(SHIPPED_NET_CONFIG, createRng(1));
 * ```
 */
export function createChessNet(config: ChessNetConfig, rng: Rng): ChessNet {
  const { filters } = config;
  return {
    config,
    input: convLayer(USED_PLANES.length, filters, rng),
    tower: Array.from({ length: config.blocks }, () => {
      const block: [ConvLayer, ConvLayer] = [
        convLayer(filters, filters, rng),
        convLayer(filters, filters, rng),
      ];
      // Drawn first either way, so the other weights do not depend on the option.
      if (config.zeroInitResidual) block[1].kernel.assign(tf.zerosLike(block[1].kernel));
      return block;
    }),
    policy: [convLayer(filters, filters, rng), convLayer(filters, POLICY_PLANES, rng, { size: 1 })],
    valueConv: convLayer(filters, config.valueChannels, rng, { size: 1 }),
    valueDense: [
      denseLayer(config.valueChannels * 64, config.valueHidden, rng),
      denseLayer(config.valueHidden, 3, rng),
    ],
  };
}

/** What one forward pass gives. */
export interface ChessNetOutput {
  /** Final trunk [N, 8, 8, filters]. */
  trunk: tf.Tensor4D;
  /** Policy logits over the 8x8x73 planes, flattened as `square * 73 + plane`: [N, 4672]. */
  policy: tf.Tensor2D;
  /** Win, draw, loss logits [N, 3]. */
  wdl: tf.Tensor2D;
}

/**
 * Runs the network on the used planes, NHWC [N, 8, 8, 20].
 *
 * @example
 * ```ts
 * const { policy, wdl } = chessNetForward(net, planes);
 * ```
 */
export function chessNetForward(net: ChessNet, planes: tf.Tensor4D): ChessNetOutput {
  let x = convStack([net.input], planes);
  for (const block of net.tower) {
    x = tf.leakyRelu(tf.add(x, convStack(block, x, { linearLast: true })), LEAKY_SLOPE);
  }
  const count = planes.shape[0];
  const policy = tf.reshape(convStack(net.policy, x, { linearLast: true }), [count, -1]);
  // Flatten channel-major (NCHW) as the ONNX graph does, so the dense weights carry over.
  const value = tf.transpose(convStack([net.valueConv], x), [0, 3, 1, 2]);
  const [hidden, out] = net.valueDense;
  const h = tf.leakyRelu(
    applyDense(hidden, tf.reshape(value, [count, -1]) as tf.Tensor2D),
    LEAKY_SLOPE,
  ) as tf.Tensor2D;
  const wdl = applyDense(out, h);
  return { trunk: x, policy: policy as tf.Tensor2D, wdl };
}

/**
 * Every trainable variable.
 *
 * @example
 * ```ts
 * optimizer.minimize(loss, false, chessNetVariables(net));
 * ```
 */
export function chessNetVariables(net: ChessNet): tf.Variable[] {
  return [
    ...variablesOf([net.input, ...net.tower.flat(), ...net.policy, net.valueConv]),
    ...net.valueDense.flatMap((layer) => [layer.weight, layer.bias]),
  ];
}
