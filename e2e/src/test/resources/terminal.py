# Drives a command in a pseudo-terminal as a person at a keyboard would: for each (WAIT_FOR, TYPE) pair given as
# arguments before `--`, waits until what the terminal has shown matches the regular expression WAIT_FOR
# (re.search; empty: at once), then types TYPE.
# Prints everything the terminal showed, then "exit status N" of the command; bounded by TIMEOUT seconds.
# Usage: python3 terminal.py TIMEOUT WAIT_FOR TYPE [WAIT_FOR TYPE...] -- COMMAND...
import os, pty, re, select, sys, time

timeout = float(sys.argv[1])
split = sys.argv.index('--')
steps = sys.argv[2:split]
command = sys.argv[split + 1:]
deadline = time.time() + timeout

pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

shown = b''
def read_some(until):
    global shown
    left = min(until, deadline) - time.time()
    if left <= 0:
        return False
    ready, _, _ = select.select([fd], [], [], left)
    if ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b''
        if not data:
            return None
        shown += data
    return True

def fail(why):
    sys.stdout.write(shown.decode('utf-8', 'replace'))
    sys.stdout.write('\nterminal.py: ' + why + '\n')
    os.kill(pid, 9)
    sys.exit(99)

for i in range(0, len(steps), 2):
    wait_for, typed = steps[i], steps[i + 1].encode()
    while not re.search(wait_for, shown.decode('utf-8', 'replace')):
        more = read_some(deadline)
        if more is None:
            fail('the terminal closed before showing %r' % wait_for)
        if more is False:
            fail('timed out waiting for %r' % wait_for)
    os.write(fd, typed)

while read_some(deadline):
    pass
if time.time() >= deadline:
    fail('timed out waiting for the command to end')
_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode('utf-8', 'replace'))
sys.stdout.write('\nexit status %d\n' % os.waitstatus_to_exitcode(status))
