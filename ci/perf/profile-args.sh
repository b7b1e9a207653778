# shellcheck shell=bash disable=SC2154 # root and name: set by the script that sources this one
# Sourced by ci/perf/profile-step.sh and ci/perf/profile-serve.sh after they set root, name and the defaults
# of types, threads and out: parses their common options ([--types T,T] [--threads N] [--out DIR] [-h]),
# checks for the build's gpt2-bench and for perf, and sets bin (the native tools' folder).
source "$root/ci/options.sh"
take_options "--types --threads --out" "" "$@"
bin="$root/core/target/native/bin"
[[ -x "$bin/gpt2-bench" ]] || die "no $bin/gpt2-bench: build first (./ci/mvn -B -DskipTests package)"
command -v perf >/dev/null || die "no perf (Debian: linux-perf)"
