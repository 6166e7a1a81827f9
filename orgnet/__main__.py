"""`python -m orgnet`."""

import sys

from orgnet.cli import main

sys.exit(main())
