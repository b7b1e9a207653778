// backends.cpp: the ggml backends libgpt2 computes with, and where they come from.
//
// Release builds (GPT2_BACKEND_DL, hence GGML_BACKEND_DL) ship ggml's backends as modules in
// libgpt2's own folder:
//   libggml-cpu-<variant>.so   the CPU backend once per instruction set (x64, sse42, haswell,
//                              skylakex, zen4, ...; arm64: armv8.0_1, armv8.2_1, ...)
//   libggml-cuda.so            the CUDA backend (linux-x86_64-cuda build only)
// (ggml-cpu-<variant>.dll, ... on Windows). Each module exports ggml_backend_score(), 0 when this
// machine cannot run it (a CPU variant whose instructions the CPU lacks) and higher the better it
// fits. gpt2_backends_init loads, once per process, the CPU variant with the best score (or the
// one env GPT2_CPU_VARIANT names), then each GPU module. A GPU module that cannot load (no CUDA
// runtime) or finds no device leaves the CPU in charge, said in one warning; ggml's own messages
// of the loading go to the debug log.
// Other builds have their backends compiled in: nothing is loaded.
#include "backends.h"

#include "error.h"
#include "log.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#ifdef GGML_BACKEND_DL
#    include <filesystem>
#    ifdef _WIN32
#        ifndef WIN32_LEAN_AND_MEAN
#            define WIN32_LEAN_AND_MEAN
#        endif
#        ifndef NOMINMAX
#            define NOMINMAX
#        endif
#        include <windows.h>
#    else
#        include <dlfcn.h>
#    endif
#endif

#define GPT2_CPU_VARIANT_ENV "GPT2_CPU_VARIANT"

namespace {

// What gpt2_backends_init found; written once (under std::call_once), read-only after.
struct backends_state {
    gpt2_status status = GPT2_OK;
    std::string error;         // why, when status != GPT2_OK
    std::string cpu_variant;   // "" when the CPU backend is compiled in
    std::string info;          // gpt2_system_info()
};

backends_state & state() {
    static backends_state s;
    return s;
}

std::string join(const std::vector<std::string> & parts, const char * sep) {
    std::string out;
    for (const std::string & p : parts) {
        if (!out.empty()) out += sep;
        out += p;
    }
    return out;
}

// The CPU backend's compile-time features ("AVX2 FMA F16C ..."), from its registry.
std::string cpu_features(ggml_backend_reg_t reg) {
    auto get = (ggml_backend_get_features_t) ggml_backend_reg_get_proc_address(reg, "ggml_backend_get_features");
    if (get == nullptr) return "";
    std::vector<std::string> names;
    for (ggml_backend_feature * f = get(reg); f != nullptr && f->name != nullptr; f++) {
        if (f->value == nullptr || strcmp(f->value, "1") == 0) {
            names.emplace_back(f->name);
        } else {
            names.emplace_back(std::string(f->name) + "=" + f->value);
        }
    }
    return join(names, " ");
}

// The lines of gpt2_system_info() after the loading: the devices, the CPU's features.
void describe_devices(std::vector<std::string> & lines) {
    std::vector<std::string> devs;
    ggml_backend_reg_t cpu_reg = nullptr;
    for (size_t i = 0; i < ggml_backend_dev_count(); i++) {
        ggml_backend_dev_t d = ggml_backend_dev_get(i);
        devs.push_back(std::string(ggml_backend_dev_name(d)) + " (" + ggml_backend_dev_description(d) + ")");
        if (cpu_reg == nullptr && ggml_backend_dev_type(d) == GGML_BACKEND_DEVICE_TYPE_CPU) {
            cpu_reg = ggml_backend_dev_backend_reg(d);
        }
    }
    lines.push_back("devices: " + (devs.empty() ? std::string("none") : join(devs, ", ")));
    if (cpu_reg != nullptr) {
        lines.push_back("CPU backend features: " + cpu_features(cpu_reg));
    }
}

#ifdef GGML_BACKEND_DL

namespace fs = std::filesystem;

// ---- the platform's dynamic loader ----

#    ifdef _WIN32
using dl_handle = HMODULE;
const char * const k_prefix = "ggml-";
const char * const k_ext    = ".dll";

std::string last_error_text() {
    DWORD code = GetLastError();
    char buf[512] = {0};
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, code, 0, buf,
                             sizeof(buf), nullptr);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ')) buf[--n] = 0;
    return "error " + std::to_string(code) + (n > 0 ? std::string(": ") + buf : std::string());
}
dl_handle dl_open(const fs::path & path, std::string & err) {
    // SEM_FAILCRITICALERRORS: no dialog box for a missing DLL
    UINT old_mode = SetErrorMode(SEM_FAILCRITICALERRORS);
    HMODULE h = LoadLibraryW(path.wstring().c_str());
    if (h == nullptr) err = last_error_text();
    SetErrorMode(old_mode);
    return h;
}
void * dl_sym(dl_handle h, const char * name) { return (void *) GetProcAddress(h, name); }
void dl_close(dl_handle h) { FreeLibrary(h); }
// The file of the module that holds addr ("" if unknown).
fs::path module_file(const void * addr) {
    HMODULE h = nullptr;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR) addr, &h)) {
        return {};
    }
    std::wstring buf(32768, L'\0');
    DWORD n = GetModuleFileNameW(h, buf.data(), (DWORD) buf.size());
    if (n == 0 || n >= buf.size()) return {};
    buf.resize(n);
    return fs::path(buf);
}
#    else
using dl_handle = void *;
const char * const k_prefix = "libggml-";
const char * const k_ext    = ".so";   // on macOS too: CMake names MODULE libraries .so

dl_handle dl_open(const fs::path & path, std::string & err) {
    dlerror();
    void * h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) {
        const char * e = dlerror();
        err = e != nullptr ? e : "dlopen failed";
    }
    return h;
}
void * dl_sym(dl_handle h, const char * name) { return dlsym(h, name); }
void dl_close(dl_handle h) { dlclose(h); }
fs::path module_file(const void * addr) {
    Dl_info info;
    if (dladdr(addr, &info) == 0 || info.dli_fname == nullptr) return {};
    return fs::path(info.dli_fname);
}
#    endif

std::string u8(const fs::path & p) {
#    if defined(__cpp_char8_t)
    auto s = p.u8string();
    return std::string(s.begin(), s.end());
#    else
    return p.u8string();
#    endif
}

struct module_file_info {
    std::string name;   // "haswell" for libggml-cpu-haswell.so, "cuda" for libggml-cuda.so
    fs::path    path;
    int         score = -1;   // -1: not probed or cannot be loaded
    std::string error;        // why it cannot be loaded
};

// The module's ggml_backend_score(), or -1 with err when the file does not load at all.
int probe_score(const fs::path & path, std::string & err) {
    dl_handle h = dl_open(path, err);
    if (h == nullptr) return -1;
    using score_fn = int (*)(void);
    auto score = (score_fn) dl_sym(h, "ggml_backend_score");
    int s = score != nullptr ? score() : 1;   // a module without a score claims no preference
    dl_close(h);
    return s;
}

// The last ERROR line ggml logged among lines, without ggml's "function: " prefix; or fallback.
std::string last_error_of(const std::vector<gpt2_log_line> & lines, size_t from, const std::string & fallback) {
    for (size_t i = lines.size(); i > from; i--) {
        const gpt2_log_line & l = lines[i - 1];
        if (l.level == GPT2_LOG_ERROR) {
            size_t colon = l.text.find(": ");
            return colon != std::string::npos && l.text.find(' ') > colon ? l.text.substr(colon + 2) : l.text;
        }
    }
    return fallback;
}

void load_modules(backends_state & st, std::vector<gpt2_log_line> & captured) {
    std::vector<std::string> lines;
    auto fail = [&](gpt2_status status, const std::string & why) {
        st.status = status;
        st.error  = why;
        lines.push_back("error: " + why);
        st.info = join(lines, "\n");
    };

    // libgpt2's folder, which holds the modules
    const fs::path self = module_file((const void *) &gpt2_backends_init);
    if (self.empty()) {
        return fail(GPT2_ERR_BACKEND, "cannot tell which file libgpt2 was loaded from, so not where its backend modules are");
    }
    const fs::path dir = self.lexically_normal().parent_path();   // dladdr may say tests/../libgpt2.so
    lines.push_back("backend folder: " + u8(dir));

    // the modules there: ggml-cpu-<variant>, and the others (GPU backends)
    std::vector<module_file_info> cpus, gpus;
    const std::string cpu_prefix = std::string(k_prefix) + "cpu-";
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string file = u8(it->path().filename());
        if (file.size() <= strlen(k_ext) || file.compare(file.size() - strlen(k_ext), std::string::npos, k_ext) != 0) {
            continue;
        }
        const std::string stem = file.substr(0, file.size() - strlen(k_ext));
        if (stem.rfind(cpu_prefix, 0) == 0) {
            cpus.push_back({stem.substr(cpu_prefix.size()), it->path()});
        } else if (stem.rfind(k_prefix, 0) == 0) {
            gpus.push_back({stem.substr(strlen(k_prefix)), it->path()});
        }
    }
    if (ec) {
        return fail(GPT2_ERR_BACKEND, "cannot list the backend folder " + u8(dir) + ": " + ec.message());
    }
    auto by_name = [](const module_file_info & a, const module_file_info & b) { return a.name < b.name; };
    std::sort(cpus.begin(), cpus.end(), by_name);
    std::sort(gpus.begin(), gpus.end(), by_name);
    if (cpus.empty()) {
        return fail(GPT2_ERR_BACKEND, "no CPU backend module (" + cpu_prefix + "*" + k_ext + ") in " + u8(dir) +
                                          ": the native files were not all extracted or installed");
    }

    // the CPU variant: the one forced, or the best this CPU runs
    std::vector<std::string> scores, runnable;
    for (module_file_info & m : cpus) {
        m.score = probe_score(m.path, m.error);
        scores.push_back(m.name + " " + (m.score < 0 ? "(" + m.error + ")" : std::to_string(m.score)));
        if (m.score > 0) runnable.push_back(m.name);
    }
    const char * forced = std::getenv(GPT2_CPU_VARIANT_ENV);
    const module_file_info * pick = nullptr;
    if (forced != nullptr && forced[0] != '\0') {
        for (const module_file_info & m : cpus) {
            if (m.name == forced) pick = &m;
        }
        std::vector<std::string> names;
        for (const module_file_info & m : cpus) names.push_back(m.name);
        if (pick == nullptr) {
            return fail(GPT2_ERR_UNSUPPORTED, std::string(GPT2_CPU_VARIANT_ENV "=") + forced + ": no such CPU variant in " +
                                                  u8(dir) + " (there: " + join(names, ", ") + ")");
        }
        if (pick->score <= 0) {
            return fail(GPT2_ERR_UNSUPPORTED,
                        std::string(GPT2_CPU_VARIANT_ENV "=") + forced + ": this CPU cannot run it (" +
                            (pick->score < 0 ? pick->error : "it needs instructions the CPU lacks") +
                            "); variants this CPU runs: " + (runnable.empty() ? "none" : join(runnable, ", ")));
        }
    } else {
        for (const module_file_info & m : cpus) {
            if (m.score > 0 && (pick == nullptr || m.score > pick->score)) pick = &m;
        }
        if (pick == nullptr) {
            return fail(GPT2_ERR_UNSUPPORTED, "no CPU backend variant in " + u8(dir) + " runs on this CPU (scores: " +
                                                  join(scores, ", ") + ")");
        }
    }
    const size_t before_cpu = captured.size();
    if (ggml_backend_load(u8(pick->path).c_str()) == nullptr) {
        return fail(GPT2_ERR_BACKEND, "cannot load " + u8(pick->path) + ": " +
                                          last_error_of(captured, before_cpu, "ggml_backend_load failed"));
    }
    st.cpu_variant = pick->name;
    lines.push_back("CPU variant: " + pick->name + " (" + u8(pick->path.filename()) + "; " +
                    (forced != nullptr && forced[0] != '\0' ? "forced by " GPT2_CPU_VARIANT_ENV : "the best score") +
                    "; scores: " + join(scores, ", ") + ")");

    // the GPU modules: each loads if its runtime (libcudart, libcublas, ...) is there, and then
    // registers the devices it finds
    std::vector<std::string> unused;
    for (module_file_info & m : gpus) {
        std::string upper = m.name;
        std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return (char) toupper(c); });
        std::string err;
        m.score = probe_score(m.path, err);
        std::string why;
        if (m.score < 0) {
            why = err;
        } else if (m.score == 0) {
            why = "not supported on this machine";
        } else {
            const size_t before = captured.size();
            ggml_backend_reg_t reg = ggml_backend_load(u8(m.path).c_str());
            if (reg == nullptr) {
                why = last_error_of(captured, before, "ggml_backend_load failed");
            } else if (ggml_backend_reg_dev_count(reg) == 0) {
                why = last_error_of(captured, before, "no device found");
            }
        }
        if (why.empty()) {
            lines.push_back(upper + ": " + u8(m.path.filename()) + " loaded");
        } else {
            lines.push_back(upper + ": " + u8(m.path.filename()) + " not used: " + why);
            unused.push_back(upper + " (" + u8(m.path.filename()) + ": " + why + ")");
        }
    }
    bool any_gpu = false;
    for (size_t i = 0; i < ggml_backend_dev_count(); i++) {
        enum ggml_backend_dev_type t = ggml_backend_dev_type(ggml_backend_dev_get(i));
        any_gpu = any_gpu || t == GGML_BACKEND_DEVICE_TYPE_GPU || t == GGML_BACKEND_DEVICE_TYPE_IGPU;
    }
    describe_devices(lines);
    st.info = join(lines, "\n");
    if (!unused.empty() && !any_gpu) {
        // the one line that says where the work goes (ggml's own lines are in the debug log)
        GPT2_LOG_W("no GPU backend: %s; computing on the CPU (variant %s)", join(unused, "; ").c_str(),
                   st.cpu_variant.c_str());
    }
}

#endif  // GGML_BACKEND_DL

void init_once(backends_state & st) {
#ifdef GGML_BACKEND_DL
    std::vector<gpt2_log_line> captured;
    gpt2_log_capture(&captured);
    try {
        load_modules(st, captured);
    } catch (const std::exception & e) {   // std::filesystem, std::bad_alloc
        st.status = GPT2_ERR_BACKEND;
        st.error  = std::string("loading the backend modules: ") + e.what();
        st.info   = "error: " + st.error;
    }
    gpt2_log_capture(nullptr);
    for (const gpt2_log_line & l : captured) {
        GPT2_LOG_D("%s", l.text.c_str());
    }
#else
    const char * forced = std::getenv(GPT2_CPU_VARIANT_ENV);
    std::vector<std::string> lines;
    lines.push_back("CPU variant: none (one CPU backend compiled into libgpt2)");
    if (forced != nullptr && forced[0] != '\0') {
        st.status = GPT2_ERR_UNSUPPORTED;
        st.error  = std::string(GPT2_CPU_VARIANT_ENV "=") + forced +
                   " is set, but this libgpt2 has one CPU backend compiled in and no variants to choose from "
                   "(build it with the release preset, or unset " GPT2_CPU_VARIANT_ENV ")";
        lines.push_back("error: " + st.error);
    }
    describe_devices(lines);
    st.info = join(lines, "\n");
#endif
}

}  // namespace

namespace {

// Runs init_once the first time; false if it threw (nothing else is then known).
bool ensure_init() {
    gpt2_log_init();
    static std::once_flag once;
    try {
        std::call_once(once, [] { init_once(state()); });
        return true;
    } catch (...) {
        return false;
    }
}

}  // namespace

gpt2_status gpt2_backends_init(const char * fn) {
    if (!ensure_init()) {
        return gpt2_fail(GPT2_ERR_INTERNAL, "%s: the backend initialisation failed", fn);
    }
    const backends_state & st = state();
    if (st.status != GPT2_OK) {
        return gpt2_fail(st.status, "%s: %s", fn, st.error.c_str());
    }
    return GPT2_OK;
}

gpt2_cpu_api gpt2_cpu_api_of(ggml_backend_t backend) {
    gpt2_cpu_api api;
    ggml_backend_dev_t dev = backend != nullptr ? ggml_backend_get_device(backend) : nullptr;
    if (dev == nullptr || ggml_backend_dev_type(dev) != GGML_BACKEND_DEVICE_TYPE_CPU) {
        return api;
    }
    ggml_backend_reg_t reg = ggml_backend_dev_backend_reg(dev);
    api.set_n_threads   = (ggml_backend_set_n_threads_t) ggml_backend_reg_get_proc_address(reg, "ggml_backend_set_n_threads");
    api.threadpool_new  = (decltype(api.threadpool_new)) ggml_backend_reg_get_proc_address(reg, "ggml_threadpool_new");
    api.threadpool_free = (decltype(api.threadpool_free)) ggml_backend_reg_get_proc_address(reg, "ggml_threadpool_free");
    api.set_threadpool  = (decltype(api.set_threadpool)) ggml_backend_reg_get_proc_address(reg, "ggml_backend_cpu_set_threadpool");
    return api;
}

const char * gpt2_cpu_variant(void) {
    if (!ensure_init()) return "";
    return state().cpu_variant.c_str();
}

const char * gpt2_system_info(void) {
    if (!ensure_init()) return "error: the backend initialisation failed";
    return state().info.c_str();
}
