"""`python -m orgnet`, and the `orgnet` command's entry point (:func:`run`)."""

import sys


def run() -> int:
    """Import the command line and run it; Ctrl-C while the modules load exits 130 with one
    line, like Ctrl-C during a command (:mod:`orgnet.cli`)."""
    try:
        from orgnet.cli import main
    except KeyboardInterrupt:
        sys.stderr.write("已中断 interrupted\n")
        return 130
    return main()


if __name__ == "__main__":
    sys.exit(run())
