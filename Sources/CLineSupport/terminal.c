#include "CLineSupport.h"

#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved_settings;
static int saved_fd = -1;
static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGTRAP, SIGFPE};

static void on_fatal(int signo) {
    ex_terminal_restore();
    signal(signo, SIG_DFL);
    raise(signo);
}

int ex_terminal_save(int fd) {
    if (!isatty(fd) || tcgetattr(fd, &saved_settings) != 0) return -1;
    saved_fd = fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_fatal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
        sigaction(fatal_signals[i], &action, NULL);
    }
    return 0;
}

void ex_terminal_restore(void) {
    if (saved_fd >= 0) tcsetattr(saved_fd, TCSAFLUSH, &saved_settings);
}
