#!/usr/bin/env bash
# Generation speed of gpt2-java's engines side by side, in one run, on one GPT-2-124M-shaped GGUF
# (random weights; 12 layers, 12 heads, n_embd 768, 1024 positions, 50,257 tokens, tied output) in
# F16 and Q8_0, with 1 and 2 threads (not part of the default build or CI):
#
#   native C    libgpt2's own loop, no JVM          core/target/native/bin/gpt2-bench
#   native-J    libgpt2 driven from Java            bin/gpt2 bench --engine native
#   Java        the pure-Java engine                bin/gpt2 bench --engine java
#   llama.cpp   llama-bench from the pinned tree    (built once into the user cache), beside
#               libgpt2's C loop with llama.cpp's settings (F16 KV cache, GELU from a table), both
#               without and with flash attention
#   beams       a step of 4 sequences in one batched eval vs a greedy step (gpt2 bench --beams 4)
#   bandwidth   ci/perf/stream.c (read/copy/triad): the bound bandwidth / bytes read per token
#   own kernels the native C loop on libgpt2's own decode kernels (gpt2-bench --matmul libgpt2) beside
#               ggml's (the default, as llama.cpp)
#   columns     a step of 1, 2, 4, 8, 16 and 64 sequences (gpt2-bench --beams B), on ggml's kernels and
#               on libgpt2's: tokens/s, steps/s, weight GB/s, step time against the greedy step
#   busy        tg with two CPU-bound background processes running (busy loops, started and stopped
#               by this script): libgpt2's C loop with its CPU budget as it is and with
#               GPT2_CPU_ADAPT=0, and llama-bench, against the same figures on the quiet machine
#
# A peer that fails (llama-bench died here with SIGILL on a Q8_0 test) is reported in its cell, with
# its signal or exit code, and the run goes on: llama-bench runs once per test and thread count.
#
# Each figure is the median, min and max of R runs after a warm-up (one run for the C programs;
# runs for 4 s, 1 s with --quick, under the JVM, whose JIT compiles meanwhile: with 2 s, native from Java
# measured 0.90-0.94 of the C loop with one thread, with 4 s 0.98-1.01). Prints the tables and
# writes them as Markdown (results.md) with the raw JSON lines beside them.
#
#   ci/perf/bench.sh [--quick] [--reps R] [--threads 1,2] [--types f16,q8_0] [--out DIR]
#               [--llama-bench PATH | --no-llama] [--no-build]
#
#   --quick        a check of the script: 32-token prompts, 16 generated tokens, 3 runs, smaller
#                  bandwidth arrays (~3 min on 2 loaded cores, plus builds); not figures to quote
#   --reps R       runs per figure (default 5; --quick 3)
#   --out DIR      where results go (default bench/target/ci-bench[-quick])
#   --llama-bench  an llama-bench binary to use instead of building one; --no-llama: skip it
#   --no-build     use the gpt2-java build as it is (default: ./ci/mvn -DskipTests package first)
#
# Once per machine (cached): llama-bench builds from the llama.cpp tree of ci/fetch-ggml.sh into
# the project's cache folder (${GPT2_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gpt2-java}, docs/BUILDING.md)
# by ci/perf/llama-tool.sh; the models are written into its bench-models/.
# Needs: what the build needs (JDK >= 25, Maven, CMake, Ninja, a C/C++ compiler with OpenMP),
# python3 (standard library only) for the tables.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
log() { echo "bench: [$(( $(date +%s) - ${start:-$(date +%s)} )) s] $*" >&2; }

name=bench quick=0 reps="" threads="1,2" types="f16,q8_0" out="" llama_bench="" no_llama=0 build=1
source "$root/ci/options.sh"
take_options "--reps --threads --types --out --llama-bench" "--quick=quick=1 --no-llama=no_llama=1 --no-build=build=0" \
    "$@"
if (( quick )); then
    n_prompt=32 n_gen=16 reps="${reps:-3}" stream_mib=64 stream_reps=3 warmup=1
else
    n_prompt=128 n_gen=64 reps="${reps:-5}" stream_mib=256 stream_reps=10 warmup=4
fi
columns="2 4 8 16 64"   # sequences per step (1: the tg test)
beams=4
[[ "$reps" =~ ^[0-9]+$ ]] && (( reps >= 1 && reps <= 100 )) || die "--reps must be in 1..100, was '$reps'"
[[ "$threads" =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--threads takes a list like 1,2, was '$threads'"
IFS=, read -r -a thread_list <<< "$threads"
for t in "${thread_list[@]}"; do (( t >= 1 && t <= 512 )) || die "thread counts must be in 1..512, was $t"; done
IFS=, read -r -a type_list <<< "$types"
for ty in "${type_list[@]}"; do
    case "$ty" in f32|f16|bf16|q8_0|q4_0|q4_1|q5_0|q5_1) ;; *) die "unknown weight type '$ty'" ;; esac
done
suffix=""
(( quick )) && suffix=-quick
out="${out:-$root/bench/target/ci-bench$suffix}"
for tool in python3 cc cmake; do command -v "$tool" >/dev/null || die "'$tool' is needed"; done

start=$(date +%s)
mkdir -p "$out"
rm -f "$out"/*.jsonl "$out"/*.txt "$out/results.md"
cache="${GPT2_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gpt2-java}"

# ---- builds -------------------------------------------------------------------------------------
if (( build )); then
    log "building gpt2-java (./ci/mvn -DskipTests package)"
    (cd "$root" && ./ci/mvn -B -q -Dstyle.color=never -DskipTests package) >&2
fi
native_bin="$root/core/target/native/bin"
[[ -x "$native_bin/gpt2-bench" ]] \
    || die "no $native_bin/gpt2-bench: build first (./ci/mvn -B -DskipTests package)"
ls "$root"/cli/target/gpt2-java-cli-*.jar >/dev/null 2>&1 || die "the CLI is not built (./ci/mvn -B -DskipTests package)"

if (( ! no_llama )) && [[ -z "$llama_bench" ]]; then
    llama_bench="$("$root/ci/perf/llama-tool.sh" llama-bench | tail -n 1)"
fi
if (( ! no_llama )); then
    [[ -x "$llama_bench" ]] || die "no llama-bench at '$llama_bench'"
fi

stream="$out/stream"
cc -O3 -march=native -fopenmp "$root/ci/perf/stream.c" -o "$stream" || die "cannot compile ci/perf/stream.c (cc with OpenMP)"

# ---- models -------------------------------------------------------------------------------------
for ty in "${type_list[@]}"; do
    "$root/ci/perf/bench-model.sh" "$ty" >/dev/null   # written once, before anything is timed
done

# ---- the machine --------------------------------------------------------------------------------
java_home="$("$root/ci/find-jdk.sh")"
{
    echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
    echo "commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo +changes)"
    echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"
    echo "cores=$(nproc 2>/dev/null || echo '?')"
    echo "flags=$(grep -m1 -o -w -E 'avx|avx2|fma|f16c|avx512f|avx512bw|avx512vl|avx512_vnni|avx512_bf16|amx_tile' /proc/cpuinfo 2>/dev/null | sort -u | tr '\n' ' ')"
    echo "memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null)"
    echo "java=$("$java_home/bin/java" -version 2>&1 | head -n 1)"
    echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
    printf '%s\n' "quick=$quick" "n_prompt=$n_prompt" "n_gen=$n_gen" "reps=$reps" "beams=$beams" "threads=$threads" \
        "types=$types" "warmup=$warmup" "columns=$columns"
    echo "llama=$( (( no_llama )) && echo skipped || echo "$llama_bench")"
} > "$out/machine.txt"

# ---- runs ---------------------------------------------------------------------------------------
# peer OUT.jsonl LABEL CMD...: runs a peer's benchmark, its JSON lines into OUT.jsonl; when it fails,
# one line {"failed": ..., "label": LABEL} there instead, and the run goes on.
peer() {
    local file="$1" label="$2"; shift 2
    local rc=0 lines
    lines="$("$@" 2> "$file.stderr")" || rc=$?
    if (( rc == 0 )); then
        printf '%s\n' "$lines" >> "$file"
    else
        local why="exit $rc"
        (( rc > 128 )) && why="SIG$(kill -l $(( rc - 128 )) 2>/dev/null || echo $(( rc - 128 )))"
        log "  $label failed: $why (stderr in $file.stderr); going on"
        printf '{"failed":"%s","label":"%s"}\n' "$why" "$label" >> "$file"
    fi
}

# busy_start / busy_stop: two CPU-bound background processes (the busy case)
busy_pids=()
busy_start() { for _ in 1 2; do bash -c 'while :; do :; done' & busy_pids+=($!); done; sleep 1; }
busy_stop() { (( ${#busy_pids[@]} )) && kill "${busy_pids[@]}" 2>/dev/null; wait "${busy_pids[@]}" 2>/dev/null || true; busy_pids=(); }
trap busy_stop EXIT

gpt2() { JAVA_OPTS="${JAVA_OPTS:-}" "$root/bin/gpt2" "$@" 2> >(grep -v -e 'WARNING: Using incubator modules' >&2); }

for t in "${thread_list[@]}"; do
    log "memory bandwidth, $t thread(s)"
    "$stream" -t "$t" -m "$stream_mib" -r "$stream_reps" --json >> "$out/stream.jsonl"
done

for ty in "${type_list[@]}"; do
    m="$("$root/ci/perf/bench-model.sh" "$ty" | tail -n 1)"
    gpt2 info -m "$m" > "$out/info-$ty.txt"
    for t in "${thread_list[@]}"; do
        log "$ty: native C loop, $t thread(s)"
        "$native_bin/gpt2-bench" "$m" -p "$n_prompt" -n "$n_gen" -r "$reps" -t "$t" --json >> "$out/native-c-$ty.jsonl"
        log "$ty: native C loop on libgpt2's own kernels (--matmul libgpt2), $t thread(s)"
        "$native_bin/gpt2-bench" "$m" -p "$n_prompt" -n "$n_gen" -r "$reps" -t "$t" --matmul libgpt2 --json \
            >> "$out/native-c-own-$ty.jsonl"
        if (( ! no_llama )); then
            log "$ty: native C loop with llama.cpp's settings (F16 KV cache, GELU from a table), $t thread(s)"
            "$native_bin/gpt2-bench" "$m" -p "$n_prompt" -n "$n_gen" -r "$reps" -t "$t" --kv f16 --gelu fast --json \
                >> "$out/native-c-llamaset-$ty.jsonl"
            log "$ty: the same with flash attention, $t thread(s)"
            "$native_bin/gpt2-bench" "$m" -p "$n_prompt" -n "$n_gen" -r "$reps" -t "$t" --kv f16 --gelu fast --fa 1 \
                --json >> "$out/native-c-llamaset-fa-$ty.jsonl"
        fi
    done
    log "$ty: native engine from Java, threads $threads"
    gpt2 bench -m "$m" --engine native --backend cpu -p "$n_prompt" -n "$n_gen" -r "$reps" --beams "$beams" \
        --warmup-time "$warmup" --thread-counts "$threads" --json > "$out/native-java-$ty.jsonl"
    log "$ty: pure-Java engine, threads $threads"
    gpt2 bench -m "$m" --engine java -p "$n_prompt" -n "$n_gen" -r "$reps" --beams "$beams" \
        --warmup-time "$warmup" --thread-counts "$threads" --json > "$out/java-$ty.jsonl"
    if (( ! no_llama )); then
        # llama-bench's defaults (an F16 KV cache: it offers no F32 one), without and with flash attention
        # (its default on the CPU), beside the native C loop with the same cache type and GELU above;
        # one run per test and thread count, so that one that dies does not take the others with it
        for fa in off on; do
            suffix_fa=""; [[ "$fa" == on ]] && suffix_fa=-fa
            for t in "${thread_list[@]}"; do
                log "$ty: llama.cpp llama-bench, flash attention $fa, $t thread(s)"
                peer "$out/llama$suffix_fa-$ty.jsonl" "pp $n_prompt t$t" \
                    "$llama_bench" -m "$m" -p "$n_prompt" -n 0 -r "$reps" -t "$t" -fa "$fa" -o jsonl
                peer "$out/llama$suffix_fa-$ty.jsonl" "tg $n_gen t$t" \
                    "$llama_bench" -m "$m" -p 0 -n "$n_gen" -r "$reps" -t "$t" -fa "$fa" -o jsonl
            done
        done
    fi

    # steps of several sequences: the C loop, 16-token prompt, a step of B sequences forked from it
    for t in "${thread_list[@]}"; do
        for b in $columns; do
            log "$ty: a step of $b sequences, $t thread(s)"
            "$native_bin/gpt2-bench" "$m" -p 16 -n "$n_gen" -r "$reps" -t "$t" --beams "$b" --json \
                | grep "\"tg $n_gen x$b\"" >> "$out/columns-$ty.jsonl"
            "$native_bin/gpt2-bench" "$m" -p 16 -n "$n_gen" -r "$reps" -t "$t" --beams "$b" --matmul libgpt2 --json \
                | grep "\"tg $n_gen x$b\"" >> "$out/columns-own-$ty.jsonl"
        done
    done
done

# the busy machine: tg beside two CPU-bound processes
for ty in "${type_list[@]}"; do
    m="$("$root/ci/perf/bench-model.sh" "$ty" | tail -n 1)"
    busy_start
    for t in "${thread_list[@]}"; do
        log "$ty: busy machine, native C loop, $t thread(s), CPU budget as it is and GPT2_CPU_ADAPT=0"
        "$native_bin/gpt2-bench" "$m" -p "$n_prompt" -n "$n_gen" -r "$reps" -t "$t" --json \
            | grep "\"tg $n_gen\"" >> "$out/busy-native-c-$ty.jsonl"
        GPT2_CPU_ADAPT=0 "$native_bin/gpt2-bench" "$m" -p "$n_prompt" -n "$n_gen" -r "$reps" -t "$t" --json \
            | grep "\"tg $n_gen\"" >> "$out/busy-native-c-noadapt-$ty.jsonl"
        if (( ! no_llama )); then
            log "$ty: busy machine, llama-bench, $t thread(s)"
            peer "$out/busy-llama-$ty.jsonl" "tg $n_gen t$t" \
                "$llama_bench" -m "$m" -p 0 -n "$n_gen" -r "$reps" -t "$t" -fa off -o jsonl
        fi
    done
    busy_stop
done

echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" >> "$out/machine.txt"
echo "seconds=$(( $(date +%s) - start ))" >> "$out/machine.txt"
python3 "$root/ci/perf/bench-report.py" "$out" | tee "$out/results.md"
log "wrote $out/results.md ($(( $(date +%s) - start )) s)"
