# Sourced by ci/perf/profile-step.sh and ci/perf/profile-serve.sh after they set root, name and the defaults
# of types, threads and out: parses their common options ([--types T,T] [--threads N] [--out DIR] [-h]),
# checks for the build's gpt2-bench and for perf, and sets bin (the native tools' folder).
die() { echo "$name: $*" >&2; exit 1; }
while (( $# > 0 )); do
    case "$1" in
        --types) types="${2:?}"; shift ;;
        --threads) threads="${2:?}"; shift ;;
        --out) out="${2:?}"; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
    shift
done
bin="$root/core/target/native/bin"
[[ -x "$bin/gpt2-bench" ]] || die "no $bin/gpt2-bench: build first (./ci/mvn -B -DskipTests package)"
command -v perf >/dev/null || die "no perf (Debian: linux-perf)"
