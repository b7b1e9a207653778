#!/usr/bin/env bash
# Usage: ci/checks/debug-build.sh [MAVEN_ARGS...]     (e.g. -Dtest=SessionTest)
# Long check, not in the default build: the core module's Java tests, then the native tests, against
# libgpt2 built with the cpu-debug preset (CMAKE_BUILD_TYPE=Debug, -O0: ggml's assert()s on, as
# well as GGML_ASSERT, which is always on), in build/cpu-debug. A call of ours that ggml's debug
# checks refuse aborts the JVM there. `./ci/mvn -B verify -pl core -am` (bindings first), never
# install. Prints the Java tests' counts from core's surefire reports. Afterwards core/target holds
# the debug library; the next ./ci/mvn verify rebuilds the default one.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
build="$root/build/cpu-debug"
rm -rf core/target/surefire-reports   # the counts below are this run's only
start=$SECONDS
rc=0
GPT2_CMAKE_PRESET=cpu-debug ./ci/mvn -B verify -pl core -am -Dgpt2.native.build.dir="$build" "$@" || rc=$?
took=$(( SECONDS - start ))

reports=(core/target/surefire-reports/TEST-*.xml)
[[ -f "${reports[0]}" ]] || { echo "debug-build: no surefire reports in core/target (exit $rc)" >&2; exit 1; }
# the <testsuite ...> element of each class: tests="N" failures="N" errors="N" skipped="N"
sum() { grep -ho '<testsuite [^>]*' "${reports[@]}" | grep -o " $1=\"[0-9]*\"" | tr -dc '0-9\n' | awk '{ s += $1 } END { print s + 0 }'; }
counts="$(sum tests) tests, $(sum failures) failures, $(sum errors) errors, $(sum skipped) skipped in ${#reports[@]} classes"
echo "debug-build: core on the Debug libgpt2: $counts; ${took} s in all ($(grep -m1 CMAKE_BUILD_TYPE "$build/CMakeCache.txt"))"
(( rc == 0 )) || { echo "debug-build: FAILED (maven exit $rc)" >&2; exit 1; }
echo "debug-build: OK"
