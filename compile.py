#!/usr/bin/env python3
"""Build every briefing in source/ into out/ (see README.md); same as the `briefing` command."""

import sys

from briefing.cli import main

if __name__ == "__main__":
    sys.exit(main())
