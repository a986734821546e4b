#!/usr/bin/env python3
"""The drain3 peer for Vigil's template miner (issue 8).

drain3 0.9.11 with default settings plus masks for IPs, colon-separated hex ids, 0x hex and standalone numbers,
each masked as <*>.

  drain3_peer.py score [LOGHUB2K_DIR]        GA and PA per system and averaged (the scoring logic of
                                             Tests/VigilLogsTests/LoghubScorer.swift)
  drain3_peer.py content OUT [LOGHUB2K_DIR]  write every system's Content column to OUT (the throughput input)
  drain3_peer.py throughput FILE N           mine the first N lines of FILE repeated; print lines/s
"""
import csv
import logging
import os
import sys
import time
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "corpus", "loghub2k"))


def miner():
    from drain3 import TemplateMiner
    from drain3.masking import MaskingInstruction
    from drain3.template_miner_config import TemplateMinerConfig

    logging.getLogger("drain3").setLevel(logging.WARNING)
    config = TemplateMinerConfig()
    config.profiling_enabled = False
    config.masking_instructions = [
        MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})((?=[^A-Za-z0-9])|$)", "*"),
        MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)(([0-9a-f]{2,}:){3,}([0-9a-f]{2,}))((?=[^A-Za-z0-9])|$)", "*"),
        MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)(0x[a-f0-9A-F]+)((?=[^A-Za-z0-9])|$)", "*"),
        MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)([\-\+]?\d+)((?=[^A-Za-z0-9])|$)", "*"),
    ]
    return TemplateMiner(config=config)


def systems(root):
    for name in sorted(os.listdir(root)):
        sub = os.path.join(root, name)
        if not os.path.isdir(sub):
            continue
        path = os.path.join(sub, f"{name}_2k.log_structured_corrected.csv")
        if not os.path.exists(path):
            path = os.path.join(sub, f"{name}_2k.log_structured.csv")
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        yield name, [r["Content"] for r in rows], [r["EventTemplate"] for r in rows]


def grouping_accuracy(truth, predicted):
    sizes = Counter(truth)
    groups = defaultdict(list)
    for i, p in enumerate(predicted):
        groups[p].append(i)
    correct = 0
    for lines in groups.values():
        first = truth[lines[0]]
        if all(truth[i] == first for i in lines) and sizes[first] == len(lines):
            correct += len(lines)
    return correct / len(truth) if truth else 1.0


def parsing_accuracy(truth, predicted):
    return sum(1 for t, p in zip(truth, predicted) if t == p) / len(truth) if truth else 1.0


def parse(contents):
    m = miner()
    ids = [m.add_log_message(line)["cluster_id"] for line in contents]
    templates = {c.cluster_id: c.get_template() for c in m.drain.clusters}
    return [templates[i] for i in ids]


def score(root):
    ga = pa = 0.0
    n = 0
    for name, contents, truth in systems(root):
        predicted = parse(contents)
        g, p = grouping_accuracy(truth, predicted), parsing_accuracy(truth, predicted)
        print(f"drain3 {name:10s} GA {g:.4f} PA {p:.4f}")
        ga, pa, n = ga + g, pa + p, n + 1
    print(f"drain3 mean       GA {ga / n:.4f} PA {pa / n:.4f}")


def content(out, root):
    with open(out, "w", encoding="utf-8") as f:
        for _, contents, _ in systems(root):
            for line in contents:
                f.write(line.replace("\n", " ") + "\n")


def throughput(path, n):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    m = miner()
    start = time.process_time()
    for i in range(n):
        m.add_log_message(lines[i % len(lines)])
    secs = time.process_time() - start
    print(f"drain3 {n} lines in {secs:.2f} CPU s: {n / secs:.0f} lines/s, {len(m.drain.clusters)} clusters")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    if sys.argv[1] == "score":
        score(sys.argv[2] if len(sys.argv) > 2 else DEFAULT_DIR)
    elif sys.argv[1] == "content":
        content(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else DEFAULT_DIR)
    elif sys.argv[1] == "throughput":
        throughput(sys.argv[2], int(sys.argv[3]))
    else:
        print(__doc__)
        sys.exit(2)
