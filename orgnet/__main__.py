"""`python -m orgnet`."""

import sys

try:
    from orgnet.cli import main
except KeyboardInterrupt:  # Ctrl-C while the modules load: no traceback either
    sys.stderr.write("已中断 interrupted\n")
    sys.exit(130)

sys.exit(main())
