#!/bin/bash
# A shieldnet campaign as a Slurm job array: K shards, each one task, then one merge job.
#
#   sbatch --array=0-7 deploy/slurm-campaign.sh            # 8 shards
#   sbatch --dependency=afterok:<JOBID> deploy/slurm-merge.sh   # or see README.md
#
# Shard I runs the runs i with i mod K = I; every run draws only from random streams keyed by
# (seed, i), so the merged result is byte-identical to `shieldnet campaign` on one machine.
#SBATCH --job-name=shieldnet-campaign
#SBATCH --cpus-per-task=4
#SBATCH --time=01:00:00
#SBATCH --output=shieldnet-%A_%a.out
set -euo pipefail

SCENARIO=${SCENARIO:-epaa-2015}
RUNS=${RUNS:-10000}
OUT=${OUT:-$PWD/campaign-$SLURM_ARRAY_JOB_ID}
K=${SLURM_ARRAY_TASK_COUNT:?submit with --array=0-(K-1)}
I=${SLURM_ARRAY_TASK_ID:?submit with --array}
# Extra arguments, e.g. VARY="--vary cooperation.mode=M0,M2,M3"
VARY=${VARY:-}

mkdir -p "$OUT"
# shellcheck disable=SC2086
shieldnet campaign "$SCENARIO" --runs "$RUNS" $VARY \
    --threads "${SLURM_CPUS_PER_TASK:-0}" --shard "$I/$K" --no-plots --out "$OUT/shard-$I"
