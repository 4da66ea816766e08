"""`python -m bot.dataset check [FILE ...]`: check the dataset and print every problem at once."""

import sys

from bot.dataset.loader import main

raise SystemExit(main(sys.argv[1:]))
