"""Entry of the Python sandbox worker: `python3 -S -I worker.py`. Kept tiny because a main script's bytecode is never
cached; the worker itself lives in _worker.py."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True

import _worker  # noqa: E402

_worker.main()
