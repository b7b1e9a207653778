#!/usr/bin/env bash
# Usage: ci/checks/sanitize.sh [CTEST_ARGS...]     (e.g. -R test_corrupt)
# Long check, not in the default build: every native test (ctest: native/tests, the tool tests) with
# libgpt2, ggml, the tools and the tests built with AddressSanitizer and UndefinedBehaviorSanitizer
# (-DGPT2_SANITIZE=ON), by gcc (CC/CXX, default gcc/g++: gcc links its sanitizer runtimes into the
# shared libgpt2, which clang leaves undefined and -Wl,--no-undefined then refuses), RelWithDebInfo
# (-O2 -g -DNDEBUG: the Debug build's asserts are ci/checks/debug-build.sh's), in build/sanitize.
# Leaks are reported (ASAN_OPTIONS=detect_leaks=1) and fail the test that leaks; any UB report halts
# the test (UBSAN_OPTIONS=halt_on_error=1), except ggml's own ones that ci/checks/ubsan.supp names
# and explains. ~25 min on 2 cores (most of it the build). Needs CMake, Ninja, gcc with libasan and
# libubsan (Debian: gcc).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
build="$root/build/sanitize"
src="${GGML_SOURCE_DIR:-$("$root/ci/fetch-ggml.sh" | tail -n 1)}"
jobs="${CMAKE_BUILD_PARALLEL_LEVEL:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}"

start=$SECONDS
cmake -S "$root" -B "$build" -G Ninja -DGPT2_GGML_SOURCE_DIR="$src" -DGPT2_SANITIZE=ON \
    -DCMAKE_C_COMPILER="${CC:-gcc}" -DCMAKE_CXX_COMPILER="${CXX:-g++}" -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build" --parallel "$jobs"
built=$(( SECONDS - start ))

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$root/ci/checks/ubsan.supp${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
start=$SECONDS
rc=0
ctest --test-dir "$build" --output-on-failure "$@" || rc=$?
echo "sanitize: built in $built s, tested in $(( SECONDS - start )) s ($("${CC:-gcc}" --version | head -n 1))"
(( rc == 0 )) || { echo "sanitize: FAILED" >&2; exit 1; }
echo "sanitize: OK"
