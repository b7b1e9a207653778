#!/usr/bin/env bash
# Decode speed of two builds of libgpt2 interleaved, on the GPT-2-124M-shaped GGUFs of bench-model.sh:
# a saved build (--base DIR: DIR/bin/gpt2-bench and DIR/lib/libgpt2.so, copied from core/target/native
# before a change) against the working tree's (core/target/native), on libgpt2's kernels
# (--matmul libgpt2, the CPU's default); beside them, in the same run, llama-bench of the pinned tree
# (without and with flash attention), the memory bandwidth (ci/perf/stream.c), the busy machine (two
# CPU-bound processes) and steps of 4 and 16 sequences. The two builds take turns, run after run, so
# that a slow spell of the machine falls on both. Not part of the default build or CI.
#
#   ci/perf/bench-ab.sh --base DIR [--rounds N] [--reps R] [--types f16,q8_0] [--threads 1,2] [--out DIR]
#
#   --rounds N   turns of each build per figure (default 3), each of R runs (gpt2-bench -r, default 3)
#   --out DIR    where results go (default bench/target/bench-ab): one JSON line per run, results.md
#
# Saving a base: mkdir -p B/bin B/lib && cp core/target/native/bin/gpt2-bench B/bin/ &&
#                cp core/target/native/libgpt2.so B/lib/   (gpt2-bench finds libgpt2 by its RUNPATH,
#                which LD_LIBRARY_PATH comes before)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
log() { echo "bench-ab: [$(( $(date +%s) - start )) s] $*" >&2; }

name=bench-ab base="" rounds=3 reps=3 types="f16,q8_0" threads="1,2" out="$root/bench/target/bench-ab"
source "$root/ci/options.sh"
take_options "--base --rounds --reps --types --threads --out" "" "$@"
[[ -n "$base" ]] || die "--base DIR is needed (see --help)"
[[ -x "$base/bin/gpt2-bench" && -f "$base/lib/libgpt2.so" ]] || die "no $base/bin/gpt2-bench and $base/lib/libgpt2.so"
new="$root/core/target/native/bin/gpt2-bench"
[[ -x "$new" ]] || die "no $new: build first (./ci/mvn -B -DskipTests package)"
IFS=, read -r -a type_list <<< "$types"
IFS=, read -r -a thread_list <<< "$threads"
start=$(date +%s)
mkdir -p "$out"
rm -f "$out"/*.jsonl "$out/models.txt"

llama="$("$root/ci/perf/llama-tool.sh" llama-bench | tail -n 1)"
stream="$out/stream"
cc -O3 -march=native -fopenmp "$root/ci/perf/stream.c" -o "$stream" || die "cannot compile ci/perf/stream.c"

# tg64 after a one-token prompt, as gpt2-bench prints it (one JSON line), tagged with what ran
tg() {   # tag, then the command
    local tag="$1"; shift
    "$@" -p 1 -n 64 -r "$reps" --json 2>/dev/null | grep '"tg 64' | sed "s/^{/{\"who\":\"$tag\",/" >> "$out/runs.jsonl" \
        || echo "{\"who\":\"$tag\",\"failed\":true}" >> "$out/runs.jsonl"
}
busy_pids=()
busy_start() { for _ in 1 2; do bash -c 'while :; do :; done' & busy_pids+=($!); done; sleep 1; }
busy_stop() { (( ${#busy_pids[@]} )) && kill "${busy_pids[@]}" 2>/dev/null; wait "${busy_pids[@]}" 2>/dev/null || true; busy_pids=(); }
trap busy_stop EXIT

{
    echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores seen"
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo ' + changes')"
} > "$out/machine.txt"

for t in "${thread_list[@]}"; do
    "$stream" -t "$t" -m 256 -r 10 --json | sed "s/^{/{\"who\":\"stream\",/" >> "$out/runs.jsonl"
done
for ty in "${type_list[@]}"; do
    m="$("$root/ci/perf/bench-model.sh" "$ty" | tail -n 1)"
    echo "$ty $(stat -c %s "$m")" >> "$out/models.txt"
    for t in "${thread_list[@]}"; do
        log "$ty, $t thread(s): the two builds in turn, and llama-bench"
        for _ in $(seq "$rounds"); do
            tg "base $ty t$t" env LD_LIBRARY_PATH="$base/lib" "$base/bin/gpt2-bench" "$m" -t "$t" --matmul libgpt2
            tg "new $ty t$t" "$new" "$m" -t "$t" --matmul libgpt2
        done
        tg "new-ggml $ty t$t" "$new" "$m" -t "$t" --matmul ggml
        for fa in off on; do
            "$llama" -m "$m" -p 0 -n 64 -r "$reps" -t "$t" -fa "$fa" -o jsonl 2>/dev/null \
                | sed "s/^{/{\"who\":\"llama-fa-$fa $ty t$t\",/" >> "$out/runs.jsonl" \
                || echo "{\"who\":\"llama-fa-$fa $ty t$t\",\"failed\":true}" >> "$out/runs.jsonl"
        done
        for b in 4 16; do
            for who in base new; do
                cmd=("$new"); [[ "$who" == base ]] && cmd=(env LD_LIBRARY_PATH="$base/lib" "$base/bin/gpt2-bench")
                "${cmd[@]}" "$m" -p 16 -n 64 -r "$reps" -t "$t" --beams "$b" --matmul libgpt2 --json 2>/dev/null \
                    | grep "\"tg 64 x$b\"" | sed "s/^{/{\"who\":\"$who $ty t$t x$b\",/" >> "$out/runs.jsonl" || true
            done
        done
    done
    log "$ty: the busy machine"
    busy_start
    for t in "${thread_list[@]}"; do
        tg "busy base $ty t$t" env LD_LIBRARY_PATH="$base/lib" "$base/bin/gpt2-bench" "$m" -t "$t" --matmul libgpt2
        tg "busy new $ty t$t" "$new" "$m" -t "$t" --matmul libgpt2
    done
    busy_stop
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); $(( $(date +%s) - start )) s" >> "$out/machine.txt"
python3 "$root/ci/perf/bench-ab-report.py" "$out" | tee "$out/results.md"
