#!/usr/bin/env bash
# Usage: ci/checks/fuzz.sh [--runs N] [--seconds S] [TARGET...]
#   TARGET: model_load, adapter_load, token_bytes (default: all three, in that order); fuzz_model_load
#           works too
#   --runs N     executions per target (default 10000000)
#   --seconds S  stop a target after S seconds even short of N runs (default 0: no time limit); the
#                summary then says how many runs it reached
# Long check, not in the default build: libFuzzer on hostile input (native/fuzz, README there).
# Builds the fuzz targets with clang (CC/CXX, default clang-14/clang++-14) in build/fuzz: libgpt2 and
# ggml with libFuzzer's coverage, ASan and UBSan (any UB report halts, but those of ggml's own that
# ci/checks/ubsan.supp names and explains), RelWithDebInfo: GGML_ASSERT on (it always is), assert()
# off as in every build we ship: ggml's assert()s check values of the data (a softmax sum > 0, no NaN
# in a vector), which the weights of a hostile file may legally break (a Debug build aborts there). Then runs each
# target, one process on one core (no -jobs/-workers), from the committed seed corpus
# native/fuzz/corpus/TARGET (read only) into a working corpus build/fuzz/corpus/TARGET that grows
# across runs. Fails on any crash, leak, sanitizer report, abort (a GGML_ASSERT included), timeout
# or memory blow-up; the input is then in build/fuzz/artifacts/TARGET/ (to minimize it:
# build/fuzz/fuzz/fuzz_TARGET -minimize_crash=1 -runs=100000 FILE). Prints per target: executions,
# exec/s, coverage (edges, features), corpus files and bytes, time.
# Needs clang with libFuzzer and the sanitizer runtimes (Debian: clang-14, libclang-rt-14-dev), CMake,
# Ninja. nice it on a shared machine: nice -n 10 ci/checks/fuzz.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

runs=10000000
seconds=0
targets=()
while (( $# )); do
    case "$1" in
        --runs)    runs="${2:?--runs needs a number}"; shift 2 ;;
        --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
        -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
        -*)        echo "fuzz: unknown option $1" >&2; exit 2 ;;
        *)         targets+=("${1#fuzz_}"); shift ;;
    esac
done
[[ "$runs" =~ ^[0-9]+$ && "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz: --runs and --seconds take whole numbers" >&2; exit 2; }
(( ${#targets[@]} )) || targets=(model_load adapter_load token_bytes)
for t in "${targets[@]}"; do
    [[ -f "native/fuzz/fuzz_$t.cpp" ]] || { echo "fuzz: no target $t (native/fuzz/fuzz_$t.cpp)" >&2; exit 2; }
done

# build (RelWithDebInfo: -O2 -g -DNDEBUG)
build="$root/build/fuzz"
cc="${CC:-clang-14}"
cxx="${CXX:-clang++-14}"
src="${GGML_SOURCE_DIR:-$("$root/ci/fetch-ggml.sh" | tail -n 1)}"
cmake -S "$root" -B "$build" -G Ninja -DGPT2_GGML_SOURCE_DIR="$src" -DGPT2_FUZZ=ON \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build" --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$root/ci/checks/ubsan.supp${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

summary=()
failed=0
for t in "${targets[@]}"; do
    exe="$build/fuzz/fuzz_$t"
    seeds="native/fuzz/corpus/$t"
    work="$build/corpus/$t"
    artifacts="$build/artifacts/$t"
    log="$build/fuzz_$t.log"
    mkdir -p "$work" "$artifacts"
    args=(-runs="$runs" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
          -artifact_prefix="$artifacts/")
    [[ -f "native/fuzz/$t.dict" ]] && args+=(-dict="native/fuzz/$t.dict")
    [[ -d "$seeds" ]] || seeds=""
    limit=""; (( seconds > 0 )) && limit=" (at most $seconds s)"
    echo "fuzz: $t: $runs runs$limit, log $log"
    start=$SECONDS
    rc=0
    "$exe" "${args[@]}" "$work" ${seeds:+"$seeds"} > "$log" 2>&1 || rc=$?
    took=$(( SECONDS - start ))
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
    cov="$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)"
    files="$(find "$work" -type f | wc -l)"
    bytes="$(find "$work" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"
    line="$t: ${execs:-?} executions in ${took} s, ${speed:-?} exec/s, ${cov:-cov: ?}, corpus $files files / $bytes bytes"
    if (( rc != 0 )); then
        failed=1
        line+=", FAILED (exit $rc; input in $artifacts/)"
        tail -n 60 "$log" >&2
    elif [[ -n "$execs" ]] && (( execs < runs )); then
        line+=", stopped by --seconds $seconds short of $runs runs"
    fi
    echo "fuzz: $line"
    summary+=("$line")
done

echo "fuzz: summary ($(uname -m), $(nproc) cores, $cc):"
printf '  %s\n' "${summary[@]}"
(( failed == 0 )) || { echo "fuzz: FAILED" >&2; exit 1; }
echo "fuzz: OK"
