"""`python -m collabcert` is the same as the `collabcert` command."""

import sys

from collabcert.cli import main

sys.exit(main())
