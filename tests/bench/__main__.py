"""`make bench`: the public pages under gunicorn with wrk (tests/bench/seiten.py)."""

import sys

from tests.bench.seiten import main

if __name__ == "__main__":
    sys.exit(main())
