// Shared by signals.c and terminal.c; not part of the module's interface.
#ifndef EXTRUCT_CLINESUPPORT_HANDLERS_H
#define EXTRUCT_CLINESUPPORT_HANDLERS_H

#include <signal.h>
#include <stddef.h>
#include <string.h>

/// Installs `handler` for each of `count` signals, with `flags` and nothing blocked.
static inline void ex_install_handler(const int *signals, size_t count, void (*handler)(int), int flags) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = flags;
    for (size_t i = 0; i < count; i++) sigaction(signals[i], &action, NULL);
}

#define EX_COUNT(array) (sizeof(array) / sizeof((array)[0]))

#endif
