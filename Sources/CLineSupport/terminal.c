#include "CLineSupport.h"
#include "handlers.h"

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
    ex_install_handler(fatal_signals, EX_COUNT(fatal_signals), on_fatal, SA_RESETHAND);
    return 0;
}

void ex_terminal_restore(void) {
    if (saved_fd >= 0) tcsetattr(saved_fd, TCSAFLUSH, &saved_settings);
}
