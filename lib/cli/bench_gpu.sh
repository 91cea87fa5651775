#!/bin/sh
# One command for the GPU measurement of issue 14: paper-ref training steps/s on the GPU
# (TF.js WebGPU over Vulkan) against N processes of the CPU backends on the same machine's
# cores (default: one per core). Prints the JSON lines of `deno task bench`.
# Usage: sh lib/cli/bench_gpu.sh [N]
set -eu
cd "$(dirname "$0")/../.."
if command -v deno >/dev/null 2>&1; then DENO=deno; else DENO="npx -y deno@2.9.6"; fi
processes="${1:-$(nproc)}"
export DENO_WEBGPU_BACKEND="${DENO_WEBGPU_BACKEND:-vulkan}"
bench() { $DENO run --allow-all lib/cli/bench.ts --json --config paper-ref --peer none "$@"; }
bench --backend webgpu --steps 20 --parallel 0 ||
  echo '{"config":"paper-ref","engine":"tfjs-webgpu","skipped":"no hardware WebGPU adapter"}'
for backend in wasm-xnnpack wasm; do
  bench --backend "$backend" --parallel "$processes" ||
    echo "{\"config\":\"paper-ref\",\"engine\":\"tfjs-$backend\",\"skipped\":\"did not start\"}"
done
