// log.h: libgpt2's log, and the route of ggml's log into it.
#pragma once

#include "gpt2.h"
#include "printf-format.h"

#include <string>
#include <vector>

void gpt2_log(int32_t level, const char * fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(GPT2_PRINTF_FORMAT, 2, 3)))
#endif
    ;

#define GPT2_LOG_D(...) gpt2_log(GPT2_LOG_DEBUG, __VA_ARGS__)
#define GPT2_LOG_I(...) gpt2_log(GPT2_LOG_INFO,  __VA_ARGS__)
#define GPT2_LOG_W(...) gpt2_log(GPT2_LOG_WARN,  __VA_ARGS__)

// Installs the ggml log hook once (idempotent, thread-safe).
void gpt2_log_init(void);

// ggml reports many faults only in its log (gguf parse errors, allocation failures). The last
// error line ggml logged on this thread since gpt2_log_clear_ggml_error(), or "" if none.
const char * gpt2_log_last_ggml_error(void);
void         gpt2_log_clear_ggml_error(void);

// One message ggml logged, kept rather than printed.
struct gpt2_log_line {
    int32_t     level;   // enum gpt2_log_level
    std::string text;    // without the trailing newline
};

// While lines is not NULL, ggml's messages on this thread are appended to it instead of being
// logged (the backend loader keeps them, then logs one line of its own); NULL ends that.
void gpt2_log_capture(std::vector<gpt2_log_line> * lines);
