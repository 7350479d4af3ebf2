// The line editor's output stream: a FILE that writes to a descriptor and shows each write to
// an observer (the shell's asciicast recorder), so what the editor draws can be recorded too.
#define _GNU_SOURCE
#include "CLineSupport.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static _Atomic(ex_output_observer) observer = NULL;

void ex_output_set_observer(ex_output_observer callback) { atomic_store(&observer, callback); }

static ssize_t write_out(void *cookie, const char *buffer, size_t size) {
    int fd = (int)(intptr_t)cookie;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, buffer + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return done > 0 ? (ssize_t)done : -1;
        done += (size_t)n;
    }
    ex_output_observer current = atomic_load(&observer);
    if (current) current(buffer, size);
    return (ssize_t)size;
}

static int close_out(void *cookie) { return close((int)(intptr_t)cookie); }

FILE *ex_output_open(int fd) {
    cookie_io_functions_t functions = {.read = NULL, .write = write_out, .seek = NULL, .close = close_out};
    return fopencookie((void *)(intptr_t)fd, "w", functions);
}
