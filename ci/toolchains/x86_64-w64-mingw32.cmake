# CMake toolchain: windows-x86_64 cross build on Linux with MinGW-w64 (Debian/Ubuntu packages
# gcc-mingw-w64-x86-64-posix, g++-mingw-w64-x86-64-posix: the posix thread model, which std::thread,
# std::mutex and std::call_once need); ctest runs the programs under wine. Used by
# ci/checks/platform-windows.sh, the here-runnable stand-in for the MSVC build that ships:
#
#   cmake --preset release -B build/x -DCMAKE_TOOLCHAIN_FILE=ci/toolchains/x86_64-w64-mingw32.cmake
#
# Cache variables (-D...):
#   GPT2_CROSS_PREFIX   the compilers' prefix (default x86_64-w64-mingw32-)
#   GPT2_CROSS_SUFFIX   their suffix (default -posix)
#   GPT2_WINE_EMULATOR  what runs a program (default ci/toolchains/wine-run.sh beside this file)
#
# Every DLL and program links the MinGW runtime (libgcc, libstdc++, winpthread) statically: the
# platform folder then needs no libstdc++-6.dll, libgcc_s_seh-1.dll nor libwinpthread-1.dll, and
# imports only Windows' own DLLs and its own files.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)

set(GPT2_CROSS_PREFIX "x86_64-w64-mingw32-" CACHE STRING "prefix of the cross compilers")
set(GPT2_CROSS_SUFFIX "-posix" CACHE STRING "suffix of the cross compilers (the thread model)")
set(GPT2_WINE_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/wine-run.sh" CACHE FILEPATH "runs a Windows program")

include("${CMAKE_CURRENT_LIST_DIR}/cross-common.cmake")
set(CMAKE_RC_COMPILER "${GPT2_CROSS_PREFIX}windres")

# C99's printf (%zu, %lld) in C too, as in C++ (libstdc++ turns it on) and as MSVC's UCRT has it;
# MinGW's default is msvcrt.dll's own
# _WIN32_WINNT: MinGW-w64 10's headers (Debian 12) lack THREAD_POWER_THROTTLING_STATE, which ggml-cpu
# uses from Windows 8's API level (0x0602) on; at Windows 7's (0x0601) ggml leaves out that one call,
# a hint that keeps Windows 11 from parking the cores of its threads. No other code of ggml's or ours
# depends on the level. Newer MinGW-w64 headers: -DGPT2_MINGW_WIN32_WINNT=0x0A00, as MSVC builds.
set(GPT2_MINGW_WIN32_WINNT "0x0601" CACHE STRING "the Windows API level the headers declare (_WIN32_WINNT)")
set(CMAKE_C_FLAGS_INIT   "-D__USE_MINGW_ANSI_STDIO=1 -D_WIN32_WINNT=${GPT2_MINGW_WIN32_WINNT}")
set(CMAKE_CXX_FLAGS_INIT "-D__USE_MINGW_ANSI_STDIO=1 -D_WIN32_WINNT=${GPT2_MINGW_WIN32_WINNT}")

# ggml's DLLs export every symbol (ggml.h marks nothing dllexport under MinGW, so ld exports them
# all): --exclude-libs keeps the runtime's (libgcc's _Unwind_*, libstdc++'s) out, else each module
# that links them statically would meet them again in libgpt2-ggml-base.dll's import library
set(CMAKE_EXE_LINKER_FLAGS_INIT    "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static -Wl,--exclude-libs,ALL")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static -Wl,--exclude-libs,ALL")

set(CMAKE_CROSSCOMPILING_EMULATOR "${GPT2_WINE_EMULATOR}")
