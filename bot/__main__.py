"""`python -m bot`: run nhacviec (the Telegram bot with a token, the demo without)."""

import sys

from bot.cli import main

sys.exit(main(["run", *sys.argv[1:]]))
