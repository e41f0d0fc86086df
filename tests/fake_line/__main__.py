"""Run the fake LINE in its own process (the benchmark does, so it does not share a GIL with the client).

python -m fake_line --followers 10000      prints the base URL, serves until stdin closes
"""

from __future__ import annotations

import argparse
import sys

from fake_line.server import FakeLine
from fake_line.spec import load_spec


def main() -> None:
    parser = argparse.ArgumentParser(prog="fake_line")
    parser.add_argument("--followers", type=int, default=0)
    parser.add_argument("--lifetime", type=float, default=600.0)
    parser.add_argument(
        "--no-check-responses", action="store_true", help="skip checking the fake's own answers (requests still are)"
    )
    args = parser.parse_args()
    fake = FakeLine(load_spec(), validate_responses=not args.no_check_responses)
    fake.add_followers(args.followers)
    print(fake.start(lifetime=args.lifetime), flush=True)
    sys.stdin.read()
    fake.stop()
    if fake.violations:
        print("\n".join(fake.violations[:20]), file=sys.stderr)
        raise SystemExit(1)


main()
