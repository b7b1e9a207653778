# CMake toolchain: linux-aarch64 cross build on an x86-64 Linux machine, with Debian/Ubuntu's
# gcc-aarch64-linux-gnu / g++-aarch64-linux-gnu and the target's C library in their sysroot; ctest
# runs the built programs under qemu-user (package qemu-user-static). Used by
# ci/checks/platform-aarch64.sh:
#
#   cmake --preset release -B build/x -DCMAKE_TOOLCHAIN_FILE=ci/toolchains/aarch64-linux-gnu.cmake
#
# Cache variables (-D...), for another cross toolchain or sysroot:
#   GPT2_CROSS_PREFIX   the compilers' prefix (default aarch64-linux-gnu-)
#   GPT2_CROSS_SYSROOT  the target's libraries, for the emulator's -L (default /usr/aarch64-linux-gnu,
#                       where the Debian packages put them)
# The emulated CPU is qemu's default (max: every feature it implements) unless env QEMU_CPU names
# one (qemu-aarch64 -cpu help lists them).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(GPT2_CROSS_PREFIX "aarch64-linux-gnu-" CACHE STRING "prefix of the cross compilers")
set(GPT2_CROSS_SYSROOT "/usr/aarch64-linux-gnu" CACHE PATH "the target's libraries (qemu -L)")

# the target's headers and libraries: those of the sysroot
set(CMAKE_FIND_ROOT_PATH "${GPT2_CROSS_SYSROOT}")
include("${CMAKE_CURRENT_LIST_DIR}/cross-common.cmake")

# what ctest (and try_run) start the target's programs with
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static -L "${GPT2_CROSS_SYSROOT}")
