# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run a program on a pseudo-terminal (virsh console insists on a tty) and
talk to it: wait for output, type input, collect the exit status.  A
process still running at the end of the test is killed."""
import atexit
import os
import pty
import select
import signal
import time


class PtyProc:
    def __init__(self, argv, env=None):
        self.argv = argv
        self.out = b""
        self.status = None
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.execvpe(argv[0], argv, env if env is not None else os.environ)
            finally:
                os._exit(127)
        atexit.register(self.kill)

    def _read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        self.out += data
        return True

    def expect(self, pattern, timeout=15, start=0):
        """True once pattern (bytes) appears in the output after offset start."""
        deadline = time.time() + timeout
        while pattern not in self.out[start:]:
            left = deadline - time.time()
            if left <= 0 or not self._read(min(left, 0.2)):
                return pattern in self.out[start:]
        return True

    def drain(self, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline and self._read(0.1):
            pass

    def send(self, data):
        os.write(self.fd, data)

    def wait(self, timeout=15):
        """The exit status (os.waitstatus_to_exitcode), or None after timeout."""
        deadline = time.time() + timeout
        while self.status is None:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(st)
                break
            if time.time() > deadline:
                return None
            self._read(0.1)
        # What it printed last (the pty may still hold it).
        while self._read(0):
            pass
        return self.status

    def text(self):
        return self.out.decode(errors="replace")

    def kill(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.status = -9
        try:
            os.close(self.fd)
        except OSError:
            pass
