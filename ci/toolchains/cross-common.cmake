# Included by the cross toolchains of this folder once they have set GPT2_CROSS_PREFIX (and, where
# the compilers' names end in one, GPT2_CROSS_SUFFIX): the compilers by those names, and find_*
# taking the target's headers, libraries and packages only, the build machine's programs.
set(CMAKE_C_COMPILER   "${GPT2_CROSS_PREFIX}gcc${GPT2_CROSS_SUFFIX}")
set(CMAKE_CXX_COMPILER "${GPT2_CROSS_PREFIX}g++${GPT2_CROSS_SUFFIX}")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
