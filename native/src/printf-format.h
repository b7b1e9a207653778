// printf-format.h: GPT2_PRINTF_FORMAT, the format archetype of libgpt2's printf-style functions
// (gpt2_log, gpt2_set_error), for __attribute__((format(...))).
#pragma once

// MinGW's "printf" format is msvcrt's (no %zu); the C99 one when __USE_MINGW_ANSI_STDIO is on, as it
// is in C++ (libstdc++ turns it on), where our printf-style functions format
#ifndef GPT2_PRINTF_FORMAT
#    if defined(__MINGW32__) && defined(__MINGW_PRINTF_FORMAT)
#        define GPT2_PRINTF_FORMAT __MINGW_PRINTF_FORMAT
#    else
#        define GPT2_PRINTF_FORMAT printf
#    endif
#endif
