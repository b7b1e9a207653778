# shellcheck shell=bash disable=SC2034,SC2154 # build, jobs: for the sourcing script; name, left_out: from it
# Sourced by ci/checks/platform-*.sh after they set name (platform-aarch64, ...), with their arguments:
# parses [--no-build] [BUILD_DIR] (build: 1 unless --no-build; build_dir: BUILD_DIR, default
# build/NAME), sets root and jobs, gives say, fail, check_exports (exports-check.sh), and:
#
#   cross_build TOOLCHAIN [CMAKE_ARG...]   configures build_dir as the release preset with
#       ci/toolchains/TOOLCHAIN and the variants of the array left_out left out, builds it (logs beside
#       build_dir) and says how long it took
#   parity_and_session RUN...              runs "RUN... test_parity", then "RUN... test_session" unless
#       the first failed; prints pass, or "FAIL TEST" (and its output on stderr), or "FAIL TEST: SUMMARY"
#       when its summary line counts failures
usage() { echo "usage: $0 [--no-build] [BUILD_DIR]" >&2; exit 2; }
build=1
build_dir=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) build=0 ;;
        -h|--help|-*) usage ;;
        *) [[ -z "$build_dir" ]] || usage; build_dir="$1" ;;
    esac
    shift
done
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${build_dir:-$root/build/$name}"
jobs="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
fail() { echo "$name: FAIL: $*" >&2; exit 1; }
say() { echo "$name: $*"; }
source "$root/ci/checks/exports-check.sh"

cross_build() {
    local toolchain="$1" start=$SECONDS
    shift
    GGML_SOURCE_DIR="${GGML_SOURCE_DIR:-$("$root/ci/fetch-ggml.sh" | tail -n 1)}"
    export GGML_SOURCE_DIR
    cmake --preset release -S "$root" -B "$build_dir" -DCMAKE_TOOLCHAIN_FILE="$root/ci/toolchains/$toolchain" "$@" \
        "-DGPT2_CPU_VARIANTS_LEFT_OUT=$(IFS=';'; echo "${left_out[*]}")" > "$build_dir.configure.log" 2>&1 \
        || { cat "$build_dir.configure.log" >&2; fail "configure"; }
    cmake --build "$build_dir" --parallel "$jobs" > "$build_dir.build.log" 2>&1 \
        || { tail -n 50 "$build_dir.build.log" >&2; fail "build (log: $build_dir.build.log)"; }
    say "built in $(( SECONDS - start )) s ($jobs jobs): $build_dir"
}

parity_and_session() {
    local t out summary
    for t in test_parity test_session; do
        out="$("$@" "$t")" || { echo "$out" >&2; echo "FAIL $t"; return 0; }
        summary="$(grep -E "^$t: [0-9]+ passed" <<< "$out" | tail -n 1)"
        [[ "$summary" =~ \ 0\ failed ]] || { echo "FAIL $t: $summary"; return 0; }
    done
    echo pass
}
