"""PyTorch peer of `deno task bench`: the same phase-1 training step on the same model.

Model: encoder [3x3 conv, LeakyReLU(0.3)] x encoder_layers; a recurrent residual step block
h(t+1) = h(t) + block(h(t)) of timestep_layers x [3x3 conv, LeakyReLU(0.3)], shared across the
model timesteps; a decoder of (decoder_layers - 1) x [conv, LeakyReLU] and a linear conv to one
channel, applied to h(0) and h(T) in one batch; MSE against the input board and the board
gol_timesteps later; Adam with exponential learning-rate decay; gradients clipped by value.
Batches are drawn at random from a set of Game of Life sequences generated once (dead cells
beyond the edge), as in the Deno benchmark.

Usage (bench.ts passes every size, so the configurations live in one place):
  /usr/bin/python3 lib/backend/bench_torch.py --board 8 --channels 16 --gol-timesteps 2 \
      --model-timesteps 2 --batch 64 --threads 1 --steps 50
With --barrier 1 it prints "ready" after the warm-up and waits for a line on stdin.
Prints one JSON line: {"peer": "torch", "torch": VERSION, "threads": N, "ms_per_step": ...}.
"""
import argparse
import json
import sys
import time

import numpy as np
import torch
from torch import nn

LEAKY_SLOPE = 0.3


def parse_args():
    parser = argparse.ArgumentParser()
    for name, default in [
        ("board", 20), ("channels", 20), ("gol-timesteps", 3), ("model-timesteps", 3),
        ("encoder-layers", 1), ("timestep-layers", 3), ("decoder-layers", 1), ("batch", 128),
        ("threads", 1), ("steps", 20), ("warmup", 3), ("sequences", 4096), ("seed", 1),
        ("barrier", 0),
    ]:
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--decay-rate", type=float, default=0.9)
    parser.add_argument("--decay-steps", type=float, default=100_000)
    parser.add_argument("--clip-value", type=float, default=0.1)
    return parser.parse_args()


def life_step(boards):
    """One Game of Life step of boards [n, rows, cols] (uint8), dead cells beyond the edge."""
    padded = np.pad(boards, ((0, 0), (1, 1), (1, 1)))
    rows, cols = boards.shape[1:]
    neighbours = sum(
        padded[:, 1 + dr:1 + dr + rows, 1 + dc:1 + dc + cols]
        for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0)
    )
    return ((neighbours == 3) | ((boards == 1) & (neighbours == 2))).astype(np.uint8)


def sequence_set(count, size, gol_timesteps, rng):
    """First and last boards of `count` random sequences [count, 1, size, size] each."""
    first = rng.integers(0, 2, (count, size, size), dtype=np.uint8)
    last = first
    for _ in range(gol_timesteps):
        last = life_step(last)
    as_float = lambda boards: torch.from_numpy(boards.astype(np.float32)).unsqueeze(1)
    return as_float(first), as_float(last)


def conv(in_channels, out_channels):
    layer = nn.Conv2d(in_channels, out_channels, 3, padding=1)
    nn.init.xavier_uniform_(layer.weight)  # Keras's Glorot-uniform default
    nn.init.zeros_(layer.bias)
    return layer


def conv_stack(in_channels, channels, layers, linear_last=False, out_channels=None):
    modules = []
    for i in range(layers):
        last = i == layers - 1
        modules.append(conv(in_channels if i == 0 else channels,
                            out_channels if last and out_channels else channels))
        if not (linear_last and last):
            modules.append(nn.LeakyReLU(LEAKY_SLOPE))
    return nn.Sequential(*modules)


class GolModel(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.model_timesteps = args.model_timesteps
        self.encoder = conv_stack(1, args.channels, args.encoder_layers)
        self.step = conv_stack(args.channels, args.channels, args.timestep_layers)
        self.decoder = conv_stack(args.channels, args.channels, args.decoder_layers,
                                  linear_last=True, out_channels=1)

    def forward(self, boards):
        first = h = self.encoder(boards)
        for _ in range(self.model_timesteps):
            h = h + self.step(h)
        decoded = self.decoder(torch.cat([first, h], 0))
        return decoded.split(boards.shape[0], 0)


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    first, last = sequence_set(args.sequences, args.board, args.gol_timesteps, rng)
    model = GolModel(args)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
    loss_function = nn.MSELoss()

    def step(index):
        for group in optimizer.param_groups:
            group["lr"] = args.learning_rate * args.decay_rate ** (index / args.decay_steps)
        picks = torch.from_numpy(rng.integers(0, args.sequences, args.batch))
        inputs, targets = first[picks], last[picks]
        optimizer.zero_grad(set_to_none=True)
        decoded_first, decoded_last = model(inputs)
        loss = loss_function(decoded_first, inputs) + loss_function(decoded_last, targets)
        loss.backward()
        nn.utils.clip_grad_value_(model.parameters(), args.clip_value)
        optimizer.step()
        return loss.item()

    for i in range(args.warmup):
        step(i)
    if args.barrier:  # bench.ts starts several processes' timed loops together
        print("ready", flush=True)
        sys.stdin.readline()
    start = time.perf_counter()
    for i in range(args.steps):
        step(args.warmup + i)
    ms_per_step = (time.perf_counter() - start) * 1000 / args.steps
    print(json.dumps({
        "peer": "torch",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "steps_per_s": round(1000 / ms_per_step, 3),
        "ms_per_step": round(ms_per_step, 2),
    }))


if __name__ == "__main__":
    main()
