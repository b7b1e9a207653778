#!/usr/bin/env bash
# Trains the project's default model, models/gpt2-kjv.gguf, exactly as committed (see models/gpt2-kjv.md):
# the King James Bible (Debian bible-kjv, fetched by ci/fetch-tokenizer-data.sh), GPT-2's vocabulary,
# 6 layers × 128 wide, 2,000 steps of 8 × 256 tokens, seed 1234. About 70 minutes on 2 cores.
#
#   bash ci/checks/train-default-model.sh [OUTDIR]     # default OUTDIR: models/
#
# Same corpus (its sha256 is checked), same command, same commit: the same model, bit for bit (on a
# CPU with the same vector width). The committed file predates the trainer's own exp and lane sums
# (dev.gpt2java.internal.VectorMath), so a run today gives a model of the same recipe, not its bits;
# see the card. Writes OUTDIR/gpt2-kjv.gguf, OUTDIR/gpt2-kjv-train.tsv (every step)
# and the checkpoint OUTDIR/gpt2-kjv.ckpt.gguf (to resume with --resume; not committed).
set -euo pipefail

KJV_SHA256=b5c4940bcfeee072c0935b5200d0f9d88a00a0199cb0961d16133458fcdfae5d

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/models}"
mkdir -p "$out"

data="$(bash "$root/ci/fetch-tokenizer-data.sh" | tail -n 1)"
kjv="$data/kjv.txt"
got="$(sha256sum "$kjv" | cut -d' ' -f1)"
if [[ "$got" != "$KJV_SHA256" ]]; then
    echo "train-default-model: $kjv has sha256 $got, the committed model was trained on $KJV_SHA256" >&2
    exit 1
fi

args=("$kjv" -o "$out/gpt2-kjv.gguf" --name gpt2-java-kjv
      --layers 6 --embd 128 --heads 4 --ctx 256 --batch 8 --steps 2000
      --lr 2e-3 --min-lr 2e-4 --warmup 100 --eval-every 200 --eval-batches 12
      --checkpoint "$out/gpt2-kjv.ckpt.gguf" --checkpoint-every 200 --seed 1234 -t 2
      --log "$out/gpt2-kjv-train.tsv")
"$root/bin/gpt2" train "${args[@]}" --dry-run
exec "$root/bin/gpt2" train "${args[@]}"
