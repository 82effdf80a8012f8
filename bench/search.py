"""Search benchmark on the shared workload (../shared/bench): Viewfinder's engine in process against Tantivy
(BM25, Rust, through its Python binding) in the same invocation, each query timed alone, top 20.

    python3 bench/search.py [--sizes 100000 1000000] [--rounds 2]
    python3 bench/search.py --build-only [--baseline OTHER-search-bench] [--sizes ...] [--rounds ...]

--build-only times only the builds (ours, the baseline binary's if given, Tantivy's), one after the other in each
round, and skips the queries.

Tantivy gets the same documents as one text field (caption, labels, OCR text, place, path relative to the
library root, camera) and, per query word, a fuzzy term query (one edit from 5 letters, two from 9, a swap
counting one), the last word as a fuzzy prefix, all words required: the nearest it has to typo-tolerant
as-you-type search. The Tantivy venv is made once under bench/.work.
"""
import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, WORK, machine

SHARED = ROOT.parent / "shared" / "bench"
BENCH = ROOT / ".build" / "release" / "search-bench"
TANTIVY_VENV = WORK / "tantivy-venv"


def workload(size):
    WORK.mkdir(parents=True, exist_ok=True)
    name = {100000: "100k", 1000000: "1m"}.get(size, str(size))
    docs, queries = WORK / f"docs-{name}.jsonl", WORK / "queries.txt"
    if not docs.exists():
        with open(docs, "w") as out:
            subprocess.run([sys.executable, str(SHARED / "gen_docs.py"), str(size), "42"], stdout=out, check=True)
    if not queries.exists():
        with open(queries, "w") as out:
            subprocess.run([sys.executable, str(SHARED / "gen_queries.py"), "1"], stdout=out, check=True)
    return docs, queries


def viewfinder(docs, queries, vectors=None, build_only=False, binary=BENCH):
    command = [str(binary), str(docs), str(queries)] + (["--vectors"] if vectors else []) + (["--build-only"] if build_only else [])
    command += ["--clustered"] if vectors == "clustered" else []
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def hybrid_line(kind, hybrid):
    """The hybrid run: its latency next to the exact scan's on the same queries, the neighbourhoods' recall and cost."""
    vectors = hybrid["vectorIndex"]
    reference = vectors["exactReference"]
    line = ("  hybrid, %s vectors (words + 384-d int8, fused): p50 %.2f p90 %.2f p99 %.2f max %.2f ms, %d guesses shown; "
            "exact scan on every %d. query (%d): p50 %.2f p99 %.2f ms, the %s on the same: p50 %.2f p99 %.2f ms"
            % (kind, hybrid["p50"], hybrid["p90"], hybrid["p99"], hybrid["max"], vectors["guessesShown"],
               reference["every"], reference["queries"], reference["p50"], reference["p99"],
               "neighbourhoods" if vectors["approximate"] else "scan", reference["approximateOnTheSameQueriesP50"],
               reference["approximateOnTheSameQueriesP99"]))
    if vectors["approximate"]:
        nearest, assign = vectors["nearest100"], vectors["assign"]
        line += "\n    %d neighbourhoods learnt in %.1f s on %d cores; top 100 alone: exact scan p50 %.2f p99 %.2f ms" % (
            vectors["neighbourhoods"], vectors["neighbourhoodsSeconds"], vectors["cores"], nearest["exactScan"]["p50"],
            nearest["exactScan"]["p99"])
        for searched, measured in sorted(nearest["bySearched"].items(), key=lambda item: int(item[0])):
            line += "; %s searched: recall@100 %.3f @10 %.3f, p50 %.2f p99 %.2f ms" % (
                searched, measured["recallAt100"], measured["recallAt10"], measured["p50"], measured["p99"])
        line += "\n    assign (ms, mean / p99 / max): " + ", ".join(
            "%s %.3f / %.3f / %.3f" % (kind_, assign[kind_]["mean"], assign[kind_]["p99"], assign[kind_]["max"])
            for kind_ in ("overwrite", "remove", "append")) + ", removed rows returned: %d" % assign["removedRowsReturned"]
    return line


TANTIVY_RUN = r'''
import json, resource, sys, time, tantivy
docs_path, queries_path = sys.argv[1], sys.argv[2]
builder = tantivy.SchemaBuilder()
builder.add_text_field("all", stored=False)
builder.add_integer_field("id", stored=True)
schema = builder.build()
index = tantivy.Index(schema)
# Parsing JSON is not the engine's build (search-bench times it apart too): the documents are made first, and the
# build is timed from them to a searchable index, as SearchEngine.init is.
documents = []
for line in open(docs_path):
    d = json.loads(line)
    place, camera = d.get("place") or {}, d.get("camera") or {}
    text = " ".join([d["caption"], " ".join(d["labels"]), d["text"], place.get("city", ""), place.get("country", ""),
                     d["path"].removeprefix("/photos/"), camera.get("make", ""), camera.get("model", "")])
    documents.append(tantivy.Document(all=text, id=d["id"]))
cpu = lambda: (lambda usage: usage.ru_utime + usage.ru_stime)(resource.getrusage(resource.RUSAGE_SELF))
started, cpu_started = time.perf_counter(), cpu()
writer = index.writer(heap_size=500_000_000, num_threads=2)
for document in documents:
    writer.add_document(document)
writer.commit()
writer.wait_merging_threads()
index.reload()
build, build_cpu = time.perf_counter() - started, cpu() - cpu_started
del documents
if sys.argv[3:] == ["--build-only"]:
    print(json.dumps({"buildSeconds": build, "buildCPUSeconds": build_cpu}))
    sys.exit(0)
searcher = index.searcher()
tokenizer_words = lambda q: [w for w in "".join(c.lower() if c.isalnum() else " " for c in q).split()]
latencies, empty = [], 0
queries = open(queries_path).read().split("\n")[:-1]
for q in queries:
    started = time.perf_counter()
    words = tokenizer_words(q)
    parts = []
    for position, word in enumerate(words):
        distance = 2 if len(word) >= 9 else 1 if len(word) >= 5 else 0
        last = position == len(words) - 1 and not q.endswith(" ")
        parts.append((tantivy.Occur.Must, tantivy.Query.fuzzy_term_query(schema, "all", word, distance=distance,
                                                                          transposition_cost_one=True, prefix=last)))
    hits = searcher.search(tantivy.Query.boolean_query(parts), 20).hits if parts else []
    latencies.append((time.perf_counter() - started) * 1000)
    empty += not hits
latencies.sort()
pick = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))]
print(json.dumps({"p50": pick(0.5), "p90": pick(0.9), "p99": pick(0.99), "max": latencies[-1], "noResult": empty,
                  "buildSeconds": build}))
'''


def tantivy(docs, queries, build_only=False):
    python = TANTIVY_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(TANTIVY_VENV)], check=True)
        subprocess.run([str(TANTIVY_VENV / "bin" / "pip"), "install", "--quiet", "tantivy==0.27.0"], check=True)
    command = [str(python), "-c", TANTIVY_RUN, str(docs), str(queries)] + (["--build-only"] if build_only else [])
    output = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def build_round(docs, queries, size, round_number, baseline):
    """Documents in memory to a searchable index (JSON parsing left out on both sides), each build in a process of
    its own: wall seconds, and CPU seconds of all the process's threads (less swayed by other work on the machine)."""
    ours = viewfinder(docs, queries, build_only=True)
    before = viewfinder(docs, queries, build_only=True, binary=baseline) if baseline else None
    reference = tantivy(docs, queries, build_only=True)
    line = "docs N=%d SEED=42, round %d, build wall / CPU s: viewfinder %.2f / %.2f" % (
        size, round_number, ours["buildSeconds"], ours["buildCPUSeconds"])
    if before:
        line += ", baseline %.2f / %s" % (before["buildSeconds"], "%.2f" % before["buildCPUSeconds"] if "buildCPUSeconds" in before else "-")
    line += ", tantivy %.2f / %.2f; viewfinder/tantivy wall %.2f, CPU %.2f" % (
        reference["buildSeconds"], reference["buildCPUSeconds"], ours["buildSeconds"] / reference["buildSeconds"],
        ours["buildCPUSeconds"] / reference["buildCPUSeconds"])
    if before:
        line += "; baseline/tantivy wall %.2f" % (before["buildSeconds"] / reference["buildSeconds"])
    print(line, flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100000, 1000000])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--words-only", action="store_true", help="leave out the hybrid runs (vectors)")
    parser.add_argument("--hybrid-only", action="store_true", help="leave out the words-only runs and Tantivy")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--baseline", type=Path, help="another search-bench binary (an older build) timed in the same rounds")
    arguments = parser.parse_args()
    if not BENCH.exists():
        raise SystemExit("build it first: swift build -c release --product search-bench")
    print("machine:", machine())
    for size in arguments.sizes:
        docs, queries = workload(size)
        for round_number in range(1, arguments.rounds + 1):
            if arguments.build_only:
                build_round(docs, queries, size, round_number, arguments.baseline)
                continue
            if arguments.hybrid_only:
                for kind in ("random", "clustered"):
                    print("docs N=%d, round %d" % (size, round_number), hybrid_line(kind, viewfinder(docs, queries, vectors=kind)), flush=True)
                continue
            ours = viewfinder(docs, queries)
            reference = tantivy(docs, queries)
            print("docs N=%d SEED=42, queries SEED=1, round %d: viewfinder p50 %.2f p90 %.2f p99 %.2f max %.2f ms, "
                  "%d without result, build %.1f s, index %.0f bytes/photo, RSS %.0f MiB after the run; "
                  "tantivy p50 %.2f p90 %.2f p99 %.2f max %.2f ms, %d without result, build %.1f s; p99 ratio %.1fx"
                  % (size, round_number, ours["p50"], ours["p90"], ours["p99"], ours["max"], ours["noResult"],
                     ours["buildSeconds"], ours["indexBytesPerPhoto"], ours["residentMiBAfterRun"], reference["p50"],
                     reference["p90"], reference["p99"], reference["max"], reference["noResult"], reference["buildSeconds"],
                     reference["p99"] / ours["p99"]))
            print("  build, documents in memory to a searchable index (JSON parsing left out on both sides): viewfinder "
                  "%.2f s, tantivy %.2f s, viewfinder/tantivy %.2f" % (ours["buildSeconds"], reference["buildSeconds"],
                                                                        ours["buildSeconds"] / reference["buildSeconds"]))
            if not arguments.words_only:
                for kind in ("random", "clustered"):
                    print(hybrid_line(kind, viewfinder(docs, queries, vectors=kind)), flush=True)


if __name__ == "__main__":
    sys.exit(main())
