#!/usr/bin/env bash
# Usage: ci/checks/platform-windows.sh [--no-build] [BUILD_DIR]
# The windows-x86_64 release layout, cross-built with MinGW-w64 and run under wine on x86-64 Linux.
# What ships is the MSVC build of release.yml's windows-x86_64 job; MinGW is the stand-in that runs
# here. It:
#  1. builds libgpt2, its tools and native tests in BUILD_DIR (default build/platform-windows) as the
#     release preset does (GPT2_BACKEND_DL, GGML_NATIVE=OFF, every CPU variant of ggml's list as a
#     module DLL), with ci/toolchains/x86_64-w64-mingw32.cmake (posix threads; libgcc, libstdc++ and
#     winpthread linked statically). A variant the compiler cannot build is left out and said so:
#     MinGW GCC 12's AMX intrinsics do not assemble, so sapphirerapids is (ggml builds no AMX variant
#     with MSVC either);
#  2. checks the files against what the Java loader expects (NativeLibrary, NativeCache): the files of
#     native-files.txt (the platform jar's index.txt) are PE32+ x86-64 DLLs, libgpt2.dll among them
#     under that name; libgpt2.dll exports every gpt2_* function of gpt2.h and gpt2-train.h and
#     nothing else (no ggml_*), every symbol the Java bindings look up among them; every DLL
#     imports only Windows' own DLLs and files of the folder
#     (no libstdc++-6.dll, libgcc_s_seh-1.dll, libwinpthread-1.dll);
#  3. runs every native test (ctest) under wine (ci/toolchains/wine-run.sh; WINEPREFIX under BUILD_DIR);
#  4. runs each CPU variant this machine's CPU has the instructions for (wine runs the host's CPU),
#     forced with GPT2_CPU_VARIANT: test_backends (the variant forced is the one loaded), test_parity
#     (HF's logits) and test_session; each other variant forced must be refused.
# Prints a table of the runs; exits 1 on any failure. --no-build: use BUILD_DIR as it is.
# What it proves: libgpt2's Windows code paths (LoadLibraryW of the modules, GetModuleFileNameW of
# its own folder, the file reading instead of mmap, cmd's quoting), the DLL layout and names, the
# exports, the self-contained imports and the parity, as far as wine implements Windows. What it
# does not: MSVC's compiler, UCRT and its fewer CPU variants (no ivybridge, piledriver, cooperlake,
# zen4, sapphirerapids: ggml leaves them out for MSVC), the Java side on a Windows JVM (no Windows JDK
# runs here), real Windows' loader and file locking.
# Needs: cmake, ninja, MinGW-w64 with the posix thread model (Debian: gcc-mingw-w64-x86-64-posix
# g++-mingw-w64-x86-64-posix, binutils-mingw-w64-x86-64), wine64.
# Env: GGML_SOURCE_DIR (else the pinned tree), WINE (else wine64 / wine, see wine-run.sh).
set -euo pipefail

name=platform-windows
# shellcheck source=ci/checks/platform-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/platform-common.sh"
cc=x86_64-w64-mingw32-gcc-posix
objdump=x86_64-w64-mingw32-objdump
wine_run="$root/ci/toolchains/wine-run.sh"

for tool in cmake ninja "$cc" x86_64-w64-mingw32-g++-posix "$objdump"; do
    command -v "$tool" >/dev/null || fail "$tool not found (Debian: gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64)"
done

# ---- 1. build ----
left_out=()
amx_probe="$("$cc" -mamx-tile -mamx-int8 -O2 -x c -c -o /dev/null - 2>&1 <<'EOF' | grep -m1 'Error' || true
#include <immintrin.h>
void f(const void * p, int stride) { _tile_loadd(0, p, stride); }
EOF
)"
if [[ -n "$amx_probe" ]]; then
    left_out=(sapphirerapids)
    say "left out: sapphirerapids (AMX): $("$cc" -dumpfullversion 2>/dev/null || "$cc" -dumpversion) emits AMX loads the assembler refuses: ${amx_probe#*Error: }"
fi
(( ! build )) || cross_build x86_64-w64-mingw32.cmake
list="$build_dir/native-files.txt"
[[ -f "$list" ]] || fail "no $list: build first"

# ---- 2. the files, as the loader takes them ----
grep -qx 'libgpt2.dll' "$list" || fail "native-files.txt does not list libgpt2.dll (NativeLibrary's name on Windows)"
[[ "$(grep -v '^backend ' "$list" | tail -n 1)" == libgpt2.dll ]] || fail "libgpt2.dll is not the last file loaded in $list"
mapfile -t files < <(sed 's/^backend //' "$list")
mapfile -t variants < <(sed -n 's/^backend ggml-cpu-\(.*\)\.dll$/\1/p' "$list")
(( ${#variants[@]} )) || fail "native-files.txt lists no CPU variant"
lower() { tr '[:upper:]' '[:lower:]'; }
own="$(printf '%s\n' "${files[@]}" | lower)"
# Windows' own DLLs: the kernel, the C runtime (msvcrt for MinGW, ucrtbase/api-ms-win-crt for MSVC)
system_dll='^(kernel32|ntdll|advapi32|user32|msvcrt|ucrtbase|bcrypt|ws2_32|shell32|ole32|api-ms-win-[a-z0-9-]+)\.dll$'
for f in "${files[@]}"; do
    p="$build_dir/$f"
    [[ -f "$p" ]] || fail "$p (native-files.txt) is missing"
    "$objdump" -f "$p" | grep -q 'file format pei-x86-64' || fail "$f is not a PE32+ x86-64 file"
    imports="$("$objdump" -p "$p" | sed -n 's/^[[:space:]]*DLL Name: //p')"
    for dll in $imports; do
        d="$(lower <<< "$dll")"
        [[ "$d" =~ $system_dll ]] || grep -qxF "$d" <<< "$own" \
            || fail "$f imports $dll, neither a Windows DLL nor a file of the platform folder (MinGW runtime DLLs must be linked statically)"
    done
    say "$f ($(stat -c %s "$p") bytes) imports: $(echo $imports)"
done
exports="$("$objdump" -p "$build_dir/libgpt2.dll" | sed -n '/^\[Ordinal\/Name Pointer\] Table/,/^$/p' \
    | sed -n 's/^[[:space:]]*\[[[:space:]]*[0-9]*\] //p' | sort -u)"
counts="$(check_exports libgpt2.dll "$exports")" || exit 1
read -r api_count java_count <<< "$counts"
say "libgpt2.dll exports the $api_count gpt2_* functions of gpt2.h and gpt2-train.h and nothing else; the $java_count the Java bindings look up among them"

# ---- 3. every native test under wine ----
start=$SECONDS
ctest_log="$build_dir/ctest-wine.log"
ctest_status=0
ctest --test-dir "$build_dir" --output-on-failure > "$ctest_log" 2>&1 || ctest_status=$?
ctest_summary="$(grep -E 'tests passed' "$ctest_log" | tail -n 1)"
say "ctest under wine ($("$wine_run" --version 2>/dev/null | tr -d '\r' || echo '?')) in $(( SECONDS - start )) s: ${ctest_summary:-no summary (see $ctest_log)}"
(( ctest_status == 0 )) || { cat "$ctest_log" >&2; fail "ctest under wine"; }

# ---- 4. each variant: run where this CPU can, refused where it cannot ----
run() {   # VARIANT TEST -> its output (CRs dropped); its status
    local status=0 out
    out="$(GPT2_CPU_VARIANT="$1" GPT2_FIXTURES_DIR="$root/fixtures" GPT2_TEST_TMPDIR="$build_dir/test-tmp" \
        "$wine_run" "$build_dir/$2.exe" 2>&1)" || status=$?
    tr -d '\r' <<< "$out"
    return "$status"
}
scores="$(run "" test_backends | sed -n 's/^CPU variant: .*scores: \(.*\))$/\1/p')"
[[ -n "$scores" ]] || fail "test_backends printed no variant scores"
score_of() { sed -n "s/.*\(^\|, \)$1 \([0-9-]*\).*/\2/p" <<< "$scores"; }
table=()
failures=0
for v in "${variants[@]}"; do
    s="$(score_of "$v")"
    [[ -n "$s" ]] || fail "no score for variant $v in: $scores"
    start=$SECONDS
    if (( s > 0 )); then
        result=pass
        out="$(run "$v" test_backends)" || result="FAIL test_backends"
        [[ "$result" != pass ]] || grep -qx "cpu variant: '$v'" <<< "$out" || result="FAIL: $v not loaded"
        [[ "$result" != pass ]] || result="$(parity_and_session run "$v")"
    else
        out="$(run "$v" test_backends)" && grep -q "GPT2_CPU_VARIANT=$v: this CPU cannot run it" <<< "$out" \
            && result="refused (this CPU lacks its instructions)" || { result="FAIL (not refused)"; echo "$out" >&2; }
    fi
    [[ "$result" != FAIL* ]] || failures=$(( failures + 1 ))
    table+=("$(printf '%-15s %6s %3d s  %s' "$v" "$s" $(( SECONDS - start )) "$result")")
done
for v in "${left_out[@]}"; do
    table+=("$(printf '%-15s %6s %5s  %s' "$v" "-" "-" "not built (the compiler's AMX intrinsics do not assemble)")")
done
echo "platform-windows: variant          score  time  result (parity, session, backends)"
printf 'platform-windows: %s\n' "${table[@]}"
(( failures == 0 )) || fail "$failures variant run(s) failed"
say "OK: ctest ${ctest_summary}; libgpt2.dll $(stat -c %s "$build_dir/libgpt2.dll") bytes; left out: ${left_out[*]:-none}"
