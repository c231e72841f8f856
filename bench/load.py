"""Load on `clio serve` over loopback, against in-process search on the same queries.

    python bench/load.py [--index DIR] [--corpus ../shared/corpus] [--seconds 60]
                         [--connections 32] [--workers 2] [--pairs 8]

Needs wrk (Debian: apt-get install wrk). Every request goes to 127.0.0.1 only, and each run
is bounded by --seconds. Steps, all in one run:
1. in-process throughput: `Clio.search` over bench/queries.json in a loop, in one process and
   in `--workers` processes at once (what the HTTP workers can use at best);
2. HTTP: wrk with `--connections` clients for `--seconds` against `clio serve --workers N`,
   cycling through the same queries on /api/search: throughput, p50/p99, errors;
   then the ratio HTTP / in-process (N processes) in `--pairs` pairs of 6 s runs, one of
   each back to back (which goes first alternating), its median and the pooled ratio of all
   pairs: this shared machine's speed swings by 20% and more within seconds to minutes, which
   a baseline taken minutes apart would read as the HTTP layer's;
3. the same while `clio index` reindexes a copy of the corpus with 10% of pages edited;
4. the memory of each server worker after the load (RSS, and PSS / unique set).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PAIR_SECONDS = 6
QUERIES = [q["query"] for q in json.loads((REPO / "bench" / "queries.json").read_text())["queries"]]


def _search_loop(index_dir: str, seconds: float, queue) -> None:
    from indexer.search import Clio

    clio = Clio(Path(index_dir))
    for q in QUERIES:  # warm, as the server's workers are: every query's postings read once
        clio.search(q)
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        clio.search(QUERIES[done % len(QUERIES)])
        done += 1
    queue.put(done / seconds)


def in_process_qps(index_dir: Path, seconds: float, processes: int) -> float:
    queue = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_search_loop, args=(str(index_dir), seconds, queue))
             for _ in range(processes)]
    for p in procs:
        p.start()
    total = sum(queue.get() for _ in procs)
    for p in procs:
        p.join()
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk_script(path: Path) -> None:
    paths = [f"/api/search?q={urllib.parse.quote_plus(q)}" for q in QUERIES]
    lua = "paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n" + """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %d, \\"rps\\": %.2f, \\"p50_ms\\": %.2f, " ..
    "\\"p99_ms\\": %.2f, \\"non2xx\\": %d, \\"errors\\": %d}\\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
"""
    path.write_text(lua)


def run_wrk(url: str, script: Path, seconds: int, connections: int) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
                          "-s", str(script), url], capture_output=True, text=True,
                         timeout=seconds + 60)
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("JSON "))
    return json.loads(line[5:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pairs", type=int, default=8,
                        help="back-to-back pairs of in-process and HTTP runs for the ratio")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        shutil.copytree(args.corpus, corpus)
        index_dir = args.index or tmp / "index"
        if args.index is None:
            subprocess.run([sys.executable, "-m", "indexer", "index", str(corpus), "--index",
                            str(index_dir)], check=True, capture_output=True)
        one = in_process_qps(index_dir, min(args.seconds, 20), 1)
        many = in_process_qps(index_dir, min(args.seconds, 20), args.workers)
        print(f"in-process: {one:.1f} queries/s in 1 process, {many:.1f} in {args.workers}",
              flush=True)
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "indexer", "serve", "--index",
                                   str(index_dir), "--corpus", str(corpus), "--port", str(port),
                                   "--workers", str(args.workers), "--no-access-log"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{url}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            script = tmp / "queries.lua"
            wrk_script(script)
            run_wrk(url, script, 5, args.connections)  # warm every worker
            steady = run_wrk(url, script, args.seconds, args.connections)
            print(f"HTTP, {args.connections} clients, {args.seconds} s: {json.dumps(steady)}",
                  flush=True)
            ratios, bases, https = [], [], []
            for i in range(args.pairs):
                # Which goes first alternates, so a steady drift favours neither.
                if i % 2:
                    http = run_wrk(url, script, PAIR_SECONDS, args.connections)
                    base = in_process_qps(index_dir, PAIR_SECONDS, args.workers)
                else:
                    base = in_process_qps(index_dir, PAIR_SECONDS, args.workers)
                    http = run_wrk(url, script, PAIR_SECONDS, args.connections)
                bases.append(base)
                https.append(http["rps"])
                ratios.append(http["rps"] / base)
                print(f"  pair: in-process {base:.1f} queries/s, HTTP {http['rps']:.1f} "
                      f"requests/s (p99 {http['p99_ms']:.0f} ms, {http['errors']} errors): "
                      f"{ratios[-1]:.0%}", flush=True)
            ratio = statistics.median(ratios)
            pooled = sum(https) / sum(bases)
            pages = sorted(corpus.rglob("*.html"))
            for p in pages[:: 10]:
                with open(p, "ab") as f:
                    f.write(f"\n<p>edited for the load bench at {time.time()}</p>\n".encode())
            # As POST /api/reindex runs it: at a lower CPU priority than the server.
            reindex = subprocess.Popen([sys.executable, "-m", "indexer", "index", str(corpus),
                                        "--index", str(index_dir), "--json", "--nice", "10"],
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                       text=True)
            during = run_wrk(url, script, args.seconds, args.connections)
            summary = json.loads(reindex.communicate(timeout=600)[0].splitlines()[-1])
            print(f"HTTP during a reindex of {summary['updated']} pages "
                  f"({summary['seconds']:.1f} s): {json.dumps(during)}", flush=True)
            # After the commit, every worker must answer from the new index alone: the same
            # totals as a fresh in-process reader (a stale reader would count pages twice).
            from indexer.search import Clio

            fresh = Clio(index_dir)
            same = 0
            for q in QUERIES[:20]:
                with urllib.request.urlopen(
                        f"{url}/api/search?{urllib.parse.urlencode({'q': q})}") as r:
                    same += json.loads(r.read())["total"] == fresh.search(q).total
            print(f"after the reindex, HTTP totals equal a fresh reader's: {same}/20", flush=True)
            workers = psutil.Process(server.pid).children()
            # RSS counts the index files' pages each worker has touched through mmap, which the
            # page cache shares between workers; PSS splits shared pages between their users.
            mem = [w.memory_full_info() for w in workers]
            print("server worker memory: " + ", ".join(
                f"RSS {m.rss / 2**20:.0f} MB (PSS {m.pss / 2**20:.0f} MB, "
                f"unique {m.uss / 2**20:.0f} MB)" for m in mem))
            print(f"HTTP/in-process ({args.workers} processes): median of {args.pairs} pairs "
                  f"{ratio:.0%}, all pairs pooled {pooled:.0%} (the {args.seconds} s run "
                  f"against the first baseline: "
                  f"{steady['rps'] / many:.0%}); HTTP/in-process (1 process): "
                  f"{steady['rps'] / one:.0%}")
        finally:
            server.terminate()
            server.wait(20)


if __name__ == "__main__":
    main()
