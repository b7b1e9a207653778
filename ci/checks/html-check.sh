#!/usr/bin/env bash
# Long check (not in the default CI run): the page of `gpt2 attention --html` loads in headless
# Chromium without console errors, uncaught exceptions or failed loads, and its layer and head
# selectors work (every layer and head selected in turn; the canvas must then show that head's
# weights, cell by cell). Then the self-test: broken copies of the page (a console.error, an
# exception at load and in a timer, an unhandled rejection, a missing image, a head or a layer
# selector that does nothing) must each fail the check, so a pass means something.
#
#   ci/checks/html-check.sh                 pages of the two HF fixture models, then the self-test
#   ci/checks/html-check.sh PAGE.html ...   just check these pages
#
# Needs: Chromium (`chromium`, or $CHROMIUM; installed with apt-get when missing and running as
# root, as in CI), Node >= 18 (ci/checks/html-check.mjs: the DevTools protocol over a pipe, no npm
# packages), and for the default pages the built command line (bin/gpt2; built here with
# ./ci/mvn -B -DskipTests package when its jar is missing).
set -euo pipefail
cd "$(dirname "$0")/../.."

die() { echo "html-check: $*" >&2; exit 2; }

chromium=${CHROMIUM:-}
if [[ -z "$chromium" ]]; then
    if ! command -v chromium >/dev/null; then
        [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null \
            || die "no chromium: install it (Debian: apt-get install chromium) or set CHROMIUM=/path/to/chrome"
        echo "html-check: installing chromium with apt-get" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
    fi
    chromium=$(command -v chromium)
fi
command -v node >/dev/null || die "needs node (>= 18)"
node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)' \
    || die "needs node >= 18, have $(node --version)"
echo "html-check: $("$chromium" --version 2>/dev/null | head -n 1), node $(node --version)"

if [[ $# -gt 0 ]]; then
    exec node ci/checks/html-check.mjs --chromium "$chromium" "$@"
fi

if ! compgen -G "cli/target/gpt2-java-cli-*.jar" >/dev/null; then
    echo "html-check: building the command line (./ci/mvn -B -DskipTests package)" >&2
    ./ci/mvn -B -q -DskipTests package
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
text="The quick brown fox jumps over the lazy dog. It's 2026: <b>&amp;</b> \"quoted\""
pages=()
for model in tiny-odd-heads small-untied; do
    for engine in native java; do
        page="$tmp/attention-$model-$engine.html"
        # stderr kept apart: the JVM's note on the incubating Vector API is not a failure
        bin/gpt2 attention -m "fixtures/$model/model-f32.gguf" --engine "$engine" --html "$page" "$text" \
            2>"$tmp/stderr" || { cat "$tmp/stderr" >&2; exit 1; }
        pages+=("$page")
    done
done
node ci/checks/html-check.mjs --chromium "$chromium" "${pages[@]}"
node ci/checks/html-check.mjs --chromium "$chromium" --self-test "${pages[0]}"
echo "html-check: passed"
