#!/bin/bash
# One task of a Slurm job array: analyze one of the given files into a
# partial; a dependent job merges them (README: "With GNU parallel, Slurm,
# Hadoop Streaming or Spark"):
#
#   files=(/shared/logs/*.jsonl.gz)
#   job=$(sbatch --parsable --array=0-$((${#files[@]} - 1)) kt-array.sh "${files[@]}")
#   sbatch --dependency=afterok:$job --wrap 'kling-triage merge -f html -o report.html /shared/partials/*.partial'
#
# KT_PARTIALS (default /shared/partials) is where the partials go; every
# task must see the files, and the merge the partials, at the same paths.
#SBATCH --job-name=kling-triage
#SBATCH --output=/dev/null
set -euo pipefail
files=("$@")
partials=${KT_PARTIALS:-/shared/partials}
kling-triage analyze -j "${SLURM_CPUS_PER_TASK:-1}" \
  --partial "$partials/$SLURM_ARRAY_TASK_ID.partial" "${files[$SLURM_ARRAY_TASK_ID]}"
