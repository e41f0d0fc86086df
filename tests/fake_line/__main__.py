"""Run the fake LINE in its own process (the benchmark does, so it does not share a GIL with the client).

python -m fake_line --followers 10000      prints the base URL, serves until stdin closes
python -m fake_line --latency 0.05 --report   multicast answers 50 ms late; at the end prints JSON:
                                             requests, peak per one-second window, deliveries
"""

from __future__ import annotations

import argparse
import json
import sys

from fake_line.server import FakeLine, peak_per_second
from fake_line.spec import load_spec


def multicast_report(fake: FakeLine, endpoint: str = "multicast") -> dict:
    times = [r.at for r in fake.requests_to(f"/v2/bot/message/{endpoint}")]
    span = max(times) - min(times) if len(times) > 1 else 0.0
    return {"requests": len(times), "span": span, "rate": (len(times) - 1) / span if span else 0.0,
            "peak_per_second": peak_per_second(times), "friends": len(fake.delivered),
            "max_per_friend": max(fake.delivered.values(), default=0), "violations": len(fake.violations)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="fake_line")
    parser.add_argument("--followers", type=int, default=0)
    parser.add_argument("--lifetime", type=float, default=600.0)
    parser.add_argument(
        "--no-check-responses", action="store_true", help="skip checking the fake's own answers (requests still are)"
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each multicast is answered")
    parser.add_argument("--report", action="store_true", help="print multicast figures as JSON at the end")
    parser.add_argument("--endpoint", choices=["multicast", "push"], default="multicast",
                        help="which sends --latency delays and --report measures (push: personal messages)")
    args = parser.parse_args()
    fake = FakeLine(load_spec(), validate_responses=not args.no_check_responses)
    fake.add_followers(args.followers)
    if args.latency:
        fake.fault(rf"POST /v2/bot/message/{args.endpoint}", delay=args.latency, times=None)
    print(fake.start(lifetime=args.lifetime), flush=True)
    sys.stdin.read()
    fake.stop()
    if args.report:
        print(json.dumps(multicast_report(fake, args.endpoint)), flush=True)
    if fake.violations:
        print("\n".join(fake.violations[:20]), file=sys.stderr)
        raise SystemExit(1)


main()
