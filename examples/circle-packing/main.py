"""Circle packing: place N circles in the unit square, maximising the sum of their radii.

A Genesis-style program: evaluate.py imports it and calls run_packing(). This version is a plain
hexagonal-ish grid, a baseline an evolutionary search would start from.
"""
import math

N_CIRCLES = 26


def run_packing():
    """Returns (centers, radii): N_CIRCLES (x, y) pairs and their radii, all inside [0, 1]^2."""
    rows = [5, 6, 5, 6, 4]
    centers = []
    for row_index, count in enumerate(rows):
        y = (row_index + 0.5) / len(rows)
        for i in range(count):
            x = (i + 0.5) / count
            centers.append((x, y))
    radii = []
    for index, (x, y) in enumerate(centers):
        wall = min(x, y, 1 - x, 1 - y)
        nearest = min(math.dist((x, y), other) for j, other in enumerate(centers) if j != index)
        radii.append(min(wall, nearest / 2))
    return centers[:N_CIRCLES], radii[:N_CIRCLES]


if __name__ == "__main__":
    centers, radii = run_packing()
    print(f"{len(centers)} circles, sum of radii {sum(radii):.4f}")
