// fuzz-input.h: how a fuzz target hands its input to a loader that takes a path: a memfd (an anonymous
// file in memory) opened as /proc/self/fd/N. Nothing touches the disk, no file outlives the process (a
// crash leaves no temp file behind), and parallel runs cannot collide on a name. Linux only, as
// libFuzzer builds here are. Any failure aborts: the harness is broken, not the library.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <sys/mman.h>
#include <unistd.h>

// A new memfd named name; its path into path (n bytes).
inline int gpt2_fuzz_memfd(const char * name, char * path, size_t n) {
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "%s: memfd_create: %s\n", name, strerror(errno));
        abort();
    }
    snprintf(path, n, "/proc/self/fd/%d", fd);
    return fd;
}

// The memfd fd holds exactly data: truncated, then written.
inline void gpt2_fuzz_write(int fd, const uint8_t * data, size_t size, const char * who) {
    if (ftruncate(fd, 0) != 0) {
        fprintf(stderr, "%s: ftruncate: %s\n", who, strerror(errno));
        abort();
    }
    size_t done = 0;
    while (done < size) {
        ssize_t n = pwrite(fd, data + done, size - done, (off_t) done);
        if (n <= 0) {
            fprintf(stderr, "%s: pwrite: %s\n", who, strerror(errno));
            abort();
        }
        done += (size_t) n;
    }
}
