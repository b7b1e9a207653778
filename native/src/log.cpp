// log.cpp: one sink for libgpt2's and ggml's messages: a user callback or stderr.
#include "log.h"

#include "ggml.h"

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

static std::atomic<gpt2_log_callback> g_callback{nullptr};
static std::atomic<void *>            g_user_data{nullptr};
static std::atomic<int32_t>           g_min_level{GPT2_LOG_WARN};

static thread_local std::string g_last_ggml_error;
static thread_local int32_t     g_last_ggml_level = GPT2_LOG_INFO;   // for GGML_LOG_LEVEL_CONT
static thread_local std::vector<gpt2_log_line> * g_capture = nullptr;

static void emit(int32_t level, const char * text) {
    if (level < g_min_level.load()) {
        return;
    }
    // one message, no trailing newline
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r')) {
        n--;
    }
    if (n == 0) {
        return;
    }
    std::string line(text, n);
    gpt2_log_callback cb = g_callback.load();
    if (cb != nullptr) {
        cb(level, line.c_str(), g_user_data.load());
    } else {
        fprintf(stderr, "gpt2: %s\n", line.c_str());
    }
}

static void ggml_sink(enum ggml_log_level level, const char * text, void * /*user_data*/) {
    int32_t lvl = level == GGML_LOG_LEVEL_CONT ? g_last_ggml_level : (int32_t) level;
    if (lvl < GPT2_LOG_DEBUG || lvl > GPT2_LOG_ERROR) {
        lvl = GPT2_LOG_INFO;
    }
    g_last_ggml_level = lvl;
    if (g_capture != nullptr) {
        if (level == GGML_LOG_LEVEL_CONT && !g_capture->empty()) {
            g_capture->back().text += text;
        } else {
            g_capture->push_back({lvl, text});
        }
        while (!g_capture->back().text.empty() &&
               (g_capture->back().text.back() == '\n' || g_capture->back().text.back() == '\r')) {
            g_capture->back().text.pop_back();
        }
        return;
    }
    if (lvl == GPT2_LOG_ERROR) {
        if (level == GGML_LOG_LEVEL_CONT) {
            g_last_ggml_error += text;
        } else {
            g_last_ggml_error = text;
        }
        while (!g_last_ggml_error.empty() && g_last_ggml_error.back() == '\n') {
            g_last_ggml_error.pop_back();
        }
    }
    emit(lvl, text);
}

void gpt2_log_init(void) {
    static std::once_flag once;
    std::call_once(once, [] { ggml_log_set(ggml_sink, nullptr); });
}

void gpt2_log_set(gpt2_log_callback callback, void * user_data, int32_t min_level) {
    gpt2_log_init();
    g_user_data.store(user_data);
    g_callback.store(callback);
    g_min_level.store(min_level);
}

void gpt2_log(int32_t level, const char * fmt, ...) {
    char buf[1024];
    va_list args;
    va_start(args, fmt);
    vsnprintf(buf, sizeof(buf), fmt, args);
    va_end(args);
    emit(level, buf);
}

const char * gpt2_log_last_ggml_error(void) {
    return g_last_ggml_error.c_str();
}

void gpt2_log_clear_ggml_error(void) {
    g_last_ggml_error.clear();
}

void gpt2_log_capture(std::vector<gpt2_log_line> * lines) {
    g_capture = lines;
}
