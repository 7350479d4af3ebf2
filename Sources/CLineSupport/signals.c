#include "CLineSupport.h"
#include "handlers.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>



static int signal_pipe[2] = {-1, -1};
static int wake_pipe[2] = {-1, -1};
// Set by the signal-monitor thread, read by the editor's thread: atomics, not plain volatiles.
static atomic_int stop_requested = 0;
static atomic_int resize_requested = 0;
static const int handled_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH};
// Notices waiting to be shown above the line being edited, lines joined by CR LF.
static pthread_mutex_t notice_lock = PTHREAD_MUTEX_INITIALIZER;
static char *pending_notice = NULL;
static atomic_int notice_requested = 0;

static void on_signal(int signo) {
    int saved = errno;
    unsigned char byte = (unsigned char)signo;
    ssize_t ignored = write(signal_pipe[1], &byte, 1);
    (void)ignored;
    errno = saved;
}

static int make_pipe(int fds[2]) {
    if (pipe(fds) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    return 0;
}

int ex_signals_install(void) {
    if (signal_pipe[0] >= 0) return signal_pipe[0];
    if (make_pipe(signal_pipe) != 0) return -1;
    if (wake_pipe[0] < 0 && make_pipe(wake_pipe) != 0) return -1;
    ex_install_handler(handled_signals, EX_COUNT(handled_signals), on_signal, SA_RESTART);
    signal(SIGPIPE, SIG_IGN);
    return signal_pipe[0];
}

void ex_editor_wake(int reason) {
    if (wake_pipe[1] < 0 && make_pipe(wake_pipe) != 0) return;
    if (reason == EX_WAKE_STOP) atomic_store(&stop_requested, 1);
    if (reason == EX_WAKE_RESIZE) atomic_store(&resize_requested, 1);
    unsigned char byte = (unsigned char)reason;
    ssize_t ignored = write(wake_pipe[1], &byte, 1);
    (void)ignored;
}

void ex_editor_post_notice(const char *text) {
    size_t length = strlen(text);
    pthread_mutex_lock(&notice_lock);
    size_t old = pending_notice ? strlen(pending_notice) : 0;
    char *joined = realloc(pending_notice, old + length + 3);
    if (joined) {
        if (old > 0) {
            memcpy(joined + old, "\r\n", 2);
            old += 2;
        }
        memcpy(joined + old, text, length + 1);
        pending_notice = joined;
    }
    pthread_mutex_unlock(&notice_lock);
    atomic_store(&notice_requested, 1);
    ex_editor_wake(EX_WAKE_NOTICE);
}

/// Writes the pending notices above the line being edited: the line is erased, the notices
/// written, and libedit draws the prompt and the line again below them, cursor where it was.
static void show_notices(EditLine *el) {
    pthread_mutex_lock(&notice_lock);
    char *text = pending_notice;
    pending_notice = NULL;
    pthread_mutex_unlock(&notice_lock);
    if (!text) return;
    FILE *out = NULL;
    if (el_get(el, EL_GETFP, 1, &out) == 0 && out) {
        fputs("\r\033[K", out);
        fputs(text, out);
        fputs("\r\n", out);
        fflush(out);
    }
    free(text);
    el_wset(el, EL_REFRESH);
}

int ex_editor_stop_requested(void) { return atomic_load(&stop_requested); }

static void drain(int fd) {
    unsigned char buffer[64];
    while (read(fd, buffer, sizeof buffer) > 0) {}
}

int ex_read_char(EditLine *el, wchar_t *out) {
    mbstate_t state;
    memset(&state, 0, sizeof state);
    if (wake_pipe[0] < 0) make_pipe(wake_pipe);
    for (;;) {
        if (atomic_load(&stop_requested)) return 0;
        if (atomic_exchange(&resize_requested, 0)) {
            el_resize(el);
            el_wset(el, EL_REFRESH);
        }
        if (atomic_exchange(&notice_requested, 0)) show_notices(el);
        struct pollfd fds[2] = {
            {.fd = STDIN_FILENO, .events = POLLIN},
            {.fd = wake_pipe[0], .events = POLLIN},
        };
        int ready = poll(fds, 2, -1);
        if (ready < 0) {
            if (errno == EINTR) continue;
            return 0;
        }
        if (fds[1].revents & POLLIN) {
            drain(wake_pipe[0]);
            continue;
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            char byte;
            ssize_t n = read(STDIN_FILENO, &byte, 1);
            if (n == 0) return 0;
            if (n < 0) {
                if (errno == EINTR || errno == EAGAIN) continue;
                return 0;
            }
            wchar_t wc;
            size_t used = mbrtowc(&wc, &byte, 1, &state);
            if (used == (size_t)-2) continue;  // an incomplete multi-byte sequence: read on
            if (used == (size_t)-1) {          // invalid byte: show a replacement character
                memset(&state, 0, sizeof state);
                *out = 0xFFFD;
                return 1;
            }
            *out = wc;
            return 1;
        }
    }
}
