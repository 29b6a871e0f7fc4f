#!/bin/bash
# Merges the shards of a finished job array: sbatch --dependency=afterok:<ARRAY_JOBID> \
#   --export=ALL,OUT=<the OUT of the array> deploy/slurm-merge.sh
#SBATCH --job-name=shieldnet-merge
#SBATCH --cpus-per-task=1
#SBATCH --time=00:20:00
set -euo pipefail
: "${OUT:?set OUT to the campaign directory of the array job}"
shieldnet merge "$OUT"/shard-* --out "$OUT/merged"
