#!/usr/bin/env python3
"""M/M/c queue in SimPy: the reference point for albsim's speed claims.

What it measures
----------------
Wall-clock throughput (simulated requests completed per second of real
time) of the same model as ``benches/bare_mmc.rs``: Poisson arrivals,
``servers`` identical exponential servers, one FIFO queue, run until
``--requests`` requests have finished service. It is written the way SimPy
users write it: a ``simpy.Resource(capacity=c)`` and one process per
customer. Only ``env.run`` and model setup are timed, not interpreter start.

Defaults: arrival rate 8000/s, mean service 1 ms, 10 servers (rho = 0.8),
10**6 requests, seed 1. The mean response time is printed so the run can be
checked against Erlang C (about 1.2046 ms for the defaults).

How to run
----------
    python3 -m venv .venv && .venv/bin/pip install -r benches/requirements.txt
    .venv/bin/python benches/simpy_mmc.py
    .venv/bin/python benches/simpy_mmc.py --requests 100000 --servers 4 \\
        --arrival-rate 3000 --service-mean 0.001 --seed 7

Output: one JSON line, e.g.
    {"tool":"simpy","requests":1000000,"wall_seconds":...,
     "requests_per_second":...,"mean_response_s":...}
"""

import argparse
import json
import random
import time

import simpy


def run(arrival_rate, service_mean, servers, requests, seed):
    """Simulate until ``requests`` customers have completed.

    Returns ``(completed, mean_response_s)``.
    """
    rng = random.Random(seed)
    env = simpy.Environment()
    server_pool = simpy.Resource(env, capacity=servers)
    done = env.event()
    stats = {"completed": 0, "response_sum": 0.0}
    service_rate = 1.0 / service_mean

    def customer(env):
        arrived = env.now
        with server_pool.request() as req:
            yield req
            yield env.timeout(rng.expovariate(service_rate))
        stats["completed"] += 1
        stats["response_sum"] += env.now - arrived
        if stats["completed"] == requests:
            done.succeed()

    def source(env):
        while True:
            yield env.timeout(rng.expovariate(arrival_rate))
            env.process(customer(env))

    env.process(source(env))
    env.run(until=done)
    return stats["completed"], stats["response_sum"] / stats["completed"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--arrival-rate", type=float, default=8000.0,
                        help="Poisson arrival rate, requests per second")
    parser.add_argument("--service-mean", type=float, default=0.001,
                        help="mean exponential service time, seconds")
    parser.add_argument("--servers", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.requests < 1 or args.servers < 1:
        parser.error("--requests and --servers must be at least 1")
    if args.arrival_rate <= 0 or args.service_mean <= 0:
        parser.error("--arrival-rate and --service-mean must be positive")

    start = time.perf_counter()
    completed, mean_response_s = run(args.arrival_rate, args.service_mean,
                                     args.servers, args.requests, args.seed)
    wall = time.perf_counter() - start
    print(json.dumps({
        "tool": "simpy",
        "requests": completed,
        "wall_seconds": round(wall, 4),
        "requests_per_second": round(completed / wall, 1),
        "mean_response_s": mean_response_s,
    }, separators=(",", ":")))


if __name__ == "__main__":
    main()
