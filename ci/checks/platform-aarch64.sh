#!/usr/bin/env bash
# Usage: ci/checks/platform-aarch64.sh [--no-build] [BUILD_DIR]
# The linux-aarch64 release library, cross-built and run on an x86-64 Linux machine:
#  1. builds libgpt2, its tools and native tests for aarch64 in BUILD_DIR (default
#     build/platform-aarch64) as the release preset does (GPT2_BACKEND_DL, GGML_NATIVE=OFF, every CPU
#     variant of ggml's list as a module), with ci/toolchains/aarch64-linux-gnu.cmake. A variant the
#     compiler cannot build is left out (GPT2_CPU_VARIANTS_LEFT_OUT) and said so: GCC 12 has no
#     -march=armv9.2-a+sme, so armv9.2_1 and armv9.2_2 (SME) are left out with it; GCC 14 builds them
#     (release.yml's linux-aarch64 job uses it);
#  2. checks the files: aarch64 ELF, run path $ORIGIN, libgpt2.so exporting every gpt2_* function of
#     gpt2.h and gpt2-train.h and nothing else, every symbol the Java bindings look up among them;
#  3. runs every native test (ctest) under qemu-user, on qemu's "max" CPU (every feature it emulates);
#  4. runs each CPU variant built, forced with GPT2_CPU_VARIANT, on a qemu CPU model that has the
#     variant's features (QEMU_CPU): test_backends (the variant forced is the one loaded),
#     test_parity (HF's logits) and test_session; the SVE variants at 128, 256 and 512-bit vectors;
#  5. checks that each variant forced on a CPU model that lacks its features is refused
#     (GPT2_ERR_UNSUPPORTED), never run.
# Prints a table of the runs; exits 1 on any failure. --no-build: use BUILD_DIR as it is.
# Needs: cmake, ninja, gcc/g++-aarch64-linux-gnu (with the target's libc in their sysroot),
# qemu-user-static (qemu-aarch64-static), binutils-aarch64-linux-gnu (readelf). What it does not
# prove: speed, and anything qemu emulates differently from silicon (memory ordering across threads
# is the host's, stronger than ARM's).
# Env: GGML_SOURCE_DIR (else the pinned tree), GPT2_CROSS_SYSROOT (default /usr/aarch64-linux-gnu).
set -euo pipefail

name=platform-aarch64
# shellcheck source=ci/checks/platform-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/platform-common.sh"
sysroot="${GPT2_CROSS_SYSROOT:-/usr/aarch64-linux-gnu}"
cc=aarch64-linux-gnu-gcc
readelf=aarch64-linux-gnu-readelf
qemu=qemu-aarch64-static

for tool in cmake ninja "$cc" aarch64-linux-gnu-g++ "$readelf" "$qemu"; do
    command -v "$tool" >/dev/null || fail "$tool not found (Debian: gcc-aarch64-linux-gnu g++-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-user-static)"
done
[[ -d "$sysroot/lib" ]] || fail "no target libraries in $sysroot (set GPT2_CROSS_SYSROOT)"

# ---- 1. build ----
left_out=()
sme_probe="$("$cc" -march=armv9.2-a+sme -x c -c -o /dev/null - <<< 'int main(void) { return 0; }' 2>&1 | head -n 1)" || true
if [[ -n "$sme_probe" ]]; then
    left_out=(armv9.2_1 armv9.2_2)
    say "left out: armv9.2_1, armv9.2_2 (SME): $("$cc" -dumpfullversion 2>/dev/null || "$cc" -dumpversion) cannot compile them: ${sme_probe#*error: }"
fi
(( ! build )) || cross_build aarch64-linux-gnu.cmake -DGPT2_CROSS_SYSROOT="$sysroot"
[[ -f "$build_dir/native-files.txt" ]] || fail "no $build_dir/native-files.txt: build first"

# ---- 2. the files ----
mapfile -t variants < <(sed -n 's/^backend libggml-cpu-\(.*\)\.so$/\1/p' "$build_dir/native-files.txt")
(( ${#variants[@]} )) || fail "native-files.txt lists no CPU variant"
say "CPU variants built: ${variants[*]}"
while IFS= read -r line; do
    f="$build_dir/${line#backend }"
    [[ -f "$f" ]] || fail "$f (native-files.txt) is missing"
    "$readelf" -h "$f" | grep -q 'Machine:.*AArch64' || fail "$f is not an aarch64 ELF"
    runpath="$("$readelf" -d "$f" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')"
    [[ "$runpath" == '$ORIGIN' ]] || fail "$f: run path '$runpath', expected \$ORIGIN"
done < "$build_dir/native-files.txt"
exports="$("$readelf" --dyn-syms -W "$build_dir/libgpt2.so" | awk '$7 != "UND" && ($5 == "GLOBAL" || $5 == "WEAK") && $4 != "SECTION" { sub(/@.*/, "", $8); print $8 }' | sort -u)"
counts="$(check_exports libgpt2.so "$exports")" || exit 1
read -r api_count java_count <<< "$counts"
say "libgpt2.so: aarch64, run path \$ORIGIN, exports the $api_count gpt2_* functions of the headers and nothing else, the $java_count the Java bindings look up among them ($(stat -c %s "$build_dir/libgpt2.so") bytes)"

# ---- 3. every native test, on qemu's max CPU ----
start=$SECONDS
ctest_log="$build_dir/ctest-qemu-max.log"
ctest_status=0
QEMU_CPU=max ctest --test-dir "$build_dir" --output-on-failure > "$ctest_log" 2>&1 || ctest_status=$?
ctest_summary="$(grep -E 'tests passed|tests failed out of' "$ctest_log" | tail -n 1)"
say "ctest under qemu (-cpu max) in $(( SECONDS - start )) s: ${ctest_summary:-no summary (see $ctest_log)}"
(( ctest_status == 0 )) || { cat "$ctest_log" >&2; fail "ctest under qemu"; }

# ---- 4. each variant on a CPU model with its features; 5. refused on one without ----
# qemu 7.2's models: cortex-a53 (armv8.0), cortex-a76 and neoverse-n1 (+dotprod +fp16), a64fx (+fp16
# +SVE-512, no dotprod), max (all: dotprod fp16 SVE SVE2 i8mm SME; SVE length set by
# sve-default-vector-length, in bytes)
runs_for() {
    case "$1" in
        armv8.0_1) echo "cortex-a53 a64fx" ;;
        armv8.2_1) echo "cortex-a76" ;;
        armv8.2_2) echo "neoverse-n1" ;;
        armv8.2_3|armv8.6_1|armv8.6_2|armv9.2_1|armv9.2_2)
            echo "max,sve-default-vector-length=16 max,sve-default-vector-length=32 max,sve-default-vector-length=64" ;;
        *) echo "" ;;
    esac
}
refused_on() {
    case "$1" in
        armv8.0_1) echo "" ;;   # every aarch64 CPU runs it
        armv8.2_1|armv8.2_2) echo "cortex-a53" ;;
        *) echo "cortex-a53 neoverse-n1" ;;
    esac
}
run() {   # QEMU_CPU VARIANT TEST -> output in $out, status in $?
    QEMU_CPU="$1" GPT2_CPU_VARIANT="$2" GPT2_FIXTURES_DIR="$root/fixtures" GPT2_TEST_TMPDIR="$build_dir/test-tmp" \
        "$qemu" -L "$sysroot" "$build_dir/tests/$3" 2>&1
}
table=()
failures=0
for v in "${variants[@]}"; do
    cpus="$(runs_for "$v")"
    [[ -n "$cpus" ]] || fail "no qemu CPU model is named for variant $v: add it to runs_for in $0"
    for cpu in $cpus; do
        start=$SECONDS
        result=pass
        out="$(run "$cpu" "$v" test_backends)" || result="FAIL test_backends"
        if [[ "$result" == pass ]] && ! grep -qx "cpu variant: '$v'" <<< "$out"; then
            result="FAIL: $v not loaded: $(grep -m1 '^error:' <<< "$out" || true)"
        fi
        features="$(sed -n 's/^CPU backend features: //p' <<< "$out")"
        [[ "$result" != pass ]] || result="$(parity_and_session run "$cpu" "$v")"
        [[ "$result" == pass ]] || failures=$(( failures + 1 ))
        table+=("$(printf '%-10s %-38s %-6s %3d s  %s' "$v" "$cpu" "${result%% *}" $(( SECONDS - start )) "${features:-$result}")")
    done
    for cpu in $(refused_on "$v"); do
        out="$(run "$cpu" "$v" test_backends)" && grep -q "GPT2_CPU_VARIANT=$v: this CPU cannot run it" <<< "$out" \
            && result=refused || { result="FAIL (not refused)"; failures=$(( failures + 1 )); echo "$out" >&2; }
        table+=("$(printf '%-10s %-38s %s' "$v" "$cpu" "$result")")
    done
done
for v in "${left_out[@]}"; do
    table+=("$(printf '%-10s %-38s %s' "$v" "-" "not built (the compiler has no -march=armv9.2-a+sme; qemu's max CPU has SME)")")
done
echo "platform-aarch64: variant   qemu -cpu                              result time   CPU backend features"
printf 'platform-aarch64: %s\n' "${table[@]}"
(( failures == 0 )) || fail "$failures variant run(s) failed"
say "OK: ctest ${ctest_summary}; ${#variants[@]} variants run and refused as above; left out: ${left_out[*]:-none}"
