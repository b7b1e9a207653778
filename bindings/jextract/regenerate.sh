#!/usr/bin/env bash
# Regenerates the Panama binding of libgpt2's public headers with jextract: native/include/gpt2.h
# (gpt2.args: class gpt2_h and its structs) and native/include/gpt2-train.h (gpt2-train.args: class
# gpt2_train_h and gpt2_grad_params; the gpt2.h it includes is left to gpt2_h).
#
# jextract cannot be installed on this project's build machines (not on Maven Central, Debian or
# npm), so the classes under bindings/src/main/java/dev/gpt2java/internal/ffi/ are written by hand in
# the shape jextract 22 generates, and AbiTest checks them against the headers with the C compiler.
# Where jextract is installed (OpenJDK's jextract builds), this script regenerates them:
#
#     JEXTRACT=/opt/jextract-22/bin/jextract bindings/jextract/regenerate.sh
#
# then review `git diff`, and run `./ci/mvn -B -pl bindings verify` (AbiTest).
#
# The .args files carry no `-l gpt2`: with it jextract resolves symbols through
# SymbolLookup.libraryLookup("libgpt2.so") at class initialisation, which fails unless the library
# is on the OS search path. Without it the generated lookup is SymbolLookup.loaderLookup(): the
# library that dev.gpt2java's NativeLibrary found and loaded (system property, java.library.path
# or the jar's META-INF/native/) is the one used.
#
# After generation, the holders are rewired to LibraryLookup (hand-written, kept): a missing symbol
# then fails when its function is called, instead of failing the class initialisation (which would
# also hide the descriptors the ABI test reads without a library).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
jextract="${JEXTRACT:-jextract}"
if ! command -v "$jextract" >/dev/null 2>&1; then
    echo "regenerate.sh: jextract not found (set JEXTRACT=/path/to/bin/jextract)." >&2
    echo "It cannot be installed on this project's build machines; the binding is maintained by hand" >&2
    echo "and checked by AbiTest against native/include/gpt2.h and gpt2-train.h." >&2
    exit 2
fi

cd "$root"
# each writes into bindings/src/main/java (see --output there)
for args in bindings/jextract/gpt2.args bindings/jextract/gpt2-train.args; do
    "$jextract" "@$args"
done

dest="bindings/src/main/java/dev/gpt2java/internal/ffi"
for f in "$dest"/gpt2_*.java; do
    sed -i \
        -e 's/gpt2\(_train\)\{0,1\}_h\.findOrThrow(/LibraryLookup.findOrNull(/' \
        -e 's/Linker\.nativeLinker()\.downcallHandle(ADDR, DESC)/LibraryLookup.downcallOrNull(ADDR, DESC)/' \
        -e 's/var mh\$ = \([a-z0-9_]*\)\.HANDLE;/var mh$ = LibraryLookup.requireHandle(\1.HANDLE, "\1");/' \
        "$f"
done
echo "regenerated into $dest (LibraryLookup.java, package-info.java and module-info.java are hand-written and kept)."
echo "Next: git diff $dest && ./ci/mvn -B -pl bindings verify"
