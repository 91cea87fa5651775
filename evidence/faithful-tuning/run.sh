#!/bin/sh
# The faithful scale's tuning grid (issue 12), on the reserved tuning seed base 1 only: the
# first two seeds of runSeeds(n, 1), 3 Game of Life and 3 model timesteps (the configuration
# 11 of the 12 faithful groups build on), learning rates 3e-3, 1e-2 and 1e-3 at batch 32, then
# batch 64 at 3e-3, each capped at 10,000 steps and without the fresh and adversarial decoder
# phases (tuning looks at convergence only). A diverged run is an outcome, recorded as such. Entries land in this folder's store; re-running
# the script reuses them, and a killed run resumes from its checkpoint. Two lanes (one per
# core) share the grid: \`run.sh\` takes the seeds in order, \`run.sh reverse\` the other way
# round; a run the other lane has already stored is reused, one it is training is waited for.
set -eu
cd "$(dirname "$0")/../.."
export IMAGINATION_RUNS_DIR=evidence/faithful-tuning
run() { # seed learningRate batchSize
  deno task train --scale faithful --seed "$1" --set model.golTimesteps=3 \
    --set model.modelTimesteps=3 --set train.learningRate="$2" --set train.batchSize="$3" \
    --set train.maxSteps=10000 --set train.freshDecoderSteps=0 --set train.adversarialSteps=0 \
    --json > "evidence/faithful-tuning/.last-$1-$2-$3.json" ||
    echo "tuning: seed $1 lr $2 batch $3 failed (recorded in its entry)"
  echo "tuning: seed $1 lr $2 batch $3 done"
}
seeds="1979041463 284527402"
[ "${1:-}" = reverse ] && seeds="284527402 1979041463"
for seed in $seeds; do
  for lr in 0.003 0.01 0.001; do run "$seed" "$lr" 32; done
done
for seed in $seeds; do run "$seed" 0.003 64; done
