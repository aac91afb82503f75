import sys

try:  # importing the command line takes a tenth of a second: a Ctrl-C then is no traceback
    from .cli import run
except KeyboardInterrupt:
    sys.stderr.write("interrupted: nothing was written\n")
    sys.exit(130)

run()
