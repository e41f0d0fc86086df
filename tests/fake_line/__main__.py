"""Run the fake LINE in its own process (the benchmark does, so it does not share a GIL with the client).

python -m fake_line --followers 10000      prints the base URL, serves until stdin closes
python -m fake_line --latency 0.05 --report   multicast answers 50 ms late; at the end prints JSON:
                                             requests, peak per one-second window, deliveries, the fake's CPU
python -m fake_line --aio ...                served by aiohttp (aio_server.py): the fake costs less CPU per request
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from fake_line.server import FakeLine, peak_per_second
from fake_line.spec import load_spec


def multicast_report(fake: FakeLine, endpoint: str = "multicast", cpu: float = 0.0) -> dict:
    times = [r.at for r in fake.requests_to(f"/v2/bot/message/{endpoint}")]
    span = max(times) - min(times) if len(times) > 1 else 0.0
    return {"requests": len(times), "span": span, "rate": (len(times) - 1) / span if span else 0.0,
            "peak_per_second": peak_per_second(times), "friends": len(fake.delivered),
            "max_per_friend": max(fake.delivered.values(), default=0), "violations": len(fake.violations),
            "cpu_seconds": cpu, "all_requests": len(fake.requests)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="fake_line")
    parser.add_argument("--followers", type=int, default=0)
    parser.add_argument("--lifetime", type=float, default=600.0)
    parser.add_argument(
        "--no-check-responses", action="store_true", help="skip checking the fake's own answers (requests still are)"
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each multicast is answered")
    parser.add_argument("--report", action="store_true", help="print multicast figures as JSON at the end")
    parser.add_argument("--aio", action="store_true", help="serve with aiohttp instead of ThreadingHTTPServer")
    parser.add_argument("--endpoint", choices=["multicast", "push"], default="multicast",
                        help="which sends --latency delays and --report measures (push: personal messages)")
    args = parser.parse_args()
    fake = FakeLine(load_spec(), validate_responses=not args.no_check_responses)
    fake.add_followers(args.followers)
    if args.latency:
        fake.fault(rf"POST /v2/bot/message/{args.endpoint}", delay=args.latency, times=None)
    if args.aio:
        from fake_line.aio_server import AioServer

        server = AioServer(fake)
        print(server.start(), flush=True)
        stop = server.stop
    else:
        print(fake.start(lifetime=args.lifetime), flush=True)
        stop = fake.stop
    cpu = time.process_time()  # the fake's own CPU while serving, spec and routes loaded
    sys.stdin.read()
    cpu = time.process_time() - cpu
    stop()
    if args.report:
        print(json.dumps(multicast_report(fake, args.endpoint, cpu)), flush=True)
    if fake.violations:
        print("\n".join(fake.violations[:20]), file=sys.stderr)
        raise SystemExit(1)


main()
