"""Evaluates a circle-packing program: runs it, checks the packing, writes metrics and correctness.

usage: python evaluate.py --program_path main.py --results_dir results
Writes results/metrics.json ({"combined_score": ..., ...}) and results/correct.json ({"correct": ...}).
"""
import argparse
import importlib.util
import json
import math
import os
import sys
import time

TOLERANCE = 1e-9


def load(program_path):
    spec = importlib.util.spec_from_file_location("program", program_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def validate(centers, radii):
    if len(centers) != len(radii):
        return f"{len(centers)} centers but {len(radii)} radii"
    for i, ((x, y), r) in enumerate(zip(centers, radii)):
        if r < 0:
            return f"circle {i} has a negative radius"
        if x - r < -TOLERANCE or y - r < -TOLERANCE or x + r > 1 + TOLERANCE or y + r > 1 + TOLERANCE:
            return f"circle {i} leaves the unit square"
    for i in range(len(centers)):
        for j in range(i + 1, len(centers)):
            if math.dist(centers[i], centers[j]) < radii[i] + radii[j] - TOLERANCE:
                return f"circles {i} and {j} overlap"
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--program_path", required=True)
    parser.add_argument("--results_dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.results_dir, exist_ok=True)

    started = time.time()
    centers, radii = load(args.program_path).run_packing()
    error = validate(centers, radii)
    metrics = {
        "combined_score": round(sum(radii), 6) if error is None else 0.0,
        "num_circles": len(centers),
        "eval_seconds": round(time.time() - started, 3),
    }
    with open(os.path.join(args.results_dir, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
    with open(os.path.join(args.results_dir, "correct.json"), "w") as f:
        json.dump({"correct": error is None, "error": error}, f, indent=2)
    print(f"score {metrics['combined_score']} ({'valid' if error is None else error})")
    return 0 if error is None else 1


if __name__ == "__main__":
    sys.exit(main())
