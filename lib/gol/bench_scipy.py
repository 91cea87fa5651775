"""Baseline for `deno task bench:gol`: the same chained sequence generation with numpy and
scipy.signal.convolve2d (dead cells beyond the edge), as the reference implementation does.
Usage: python3 lib/gol/bench_scipy.py [count] [size] [steps]"""
import sys, time
import numpy as np
from scipy.signal import convolve2d

count = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
size = int(sys.argv[2]) if len(sys.argv) > 2 else 20
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 4
kernel = np.ones((3, 3), dtype=np.int32)
kernel[1, 1] = 0
rng = np.random.default_rng(0)

def step(board):
    neighbours = convolve2d(board, kernel, mode="same", boundary="fill")
    return ((neighbours == 3) | ((board == 1) & (neighbours == 2))).astype(np.int32)

start = time.perf_counter()
sequences, previous = [], None
for _ in range(count):
    board = rng.integers(0, 2, (size, size)) if previous is None or rng.random() < 0.1 else previous[1]
    sequence = [board]
    for _ in range(steps):
        sequence.append(step(sequence[-1]))
    sequences.append(sequence)
    previous = sequence
elapsed = time.perf_counter() - start
print(f"{count / elapsed:.0f} sequences/s ({size}x{size}, {steps} steps, numpy/scipy)")
