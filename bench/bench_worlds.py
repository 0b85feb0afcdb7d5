"""Throughput of the synthetic worlds (partseg.data.worlds): images/s per world and resolution.

Run from the repository root:  .venv/bin/python bench/bench_worlds.py [--batch 256] [--runs 5] [--device cpu]
Prints a markdown table and writes it to bench/_out/worlds.md (merged into bench/RESULTS.md by hand).
Targets (issue 2): >= 1000 images/s at 64x64 and >= 250 images/s at 128x128 per world, one process, CPU,
torch's default number of threads.
"""
import argparse, os, platform, statistics, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import torch
from partseg.data.worlds import WORLDS, get_world

TARGETS = {64: 1000, 128: 250}

def bench(name, res, batch, runs, device, placement='aligned'):
    "Median images/s over `runs` batches of `batch` distinct indices (after one warm-up batch)."
    w = get_world(name, device=device, res=res, placement=placement)
    w.sample(range(batch))
    ts = []
    for r in range(runs):
        idx = range((r + 1) * batch, (r + 2) * batch)
        if device != 'cpu': torch.cuda.synchronize()
        t0 = time.perf_counter(); b = w.sample(idx)
        if device != 'cpu': torch.cuda.synchronize()
        ts.append(time.perf_counter() - t0)
    return batch / statistics.median(ts)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--batch', type=int, default=256); p.add_argument('--runs', type=int, default=5)
    p.add_argument('--device', default='cpu'); p.add_argument('--res', type=int, nargs='+', default=[64, 128])
    p.add_argument('--out', default=str(ROOT / 'bench' / '_out' / 'worlds.md'))
    a = p.parse_args(argv)
    rows = []
    for name in WORLDS:
        rows.append([name] + [bench(name, r, a.batch, a.runs, a.device) for r in a.res])
        print(name, ' '.join(f'{v:.0f}' for v in rows[-1][1:]), flush=True)
    dev = a.device if a.device == 'cpu' else f"{a.device} ({torch.cuda.get_device_name()})"
    head = (f"### Synthetic worlds: rendering throughput (images/s, median of {a.runs} batches of {a.batch})\n\n"
            f"device {dev}, {torch.get_num_threads()} torch threads, {os.cpu_count()} CPUs, torch {torch.__version__}, "
            f"{platform.platform()}; placement 'aligned', default WorldConfig (4 clutter shapes, noise 0.02)\n\n")
    tgt = ' | '.join(f'{r}x{r}' + (f' (target {TARGETS[r]})' if r in TARGETS else '') for r in a.res)
    lines = [f"| world | {tgt} |", '|---' * (len(a.res) + 1) + '|']
    for row in rows:
        cells = [f"{v:.0f}" + (' ✓' if v >= TARGETS.get(r, 0) else ' ✗') for r, v in zip(a.res, row[1:])]
        lines.append(f"| {row[0]} | " + ' | '.join(cells) + ' |')
    md = head + '\n'.join(lines) + '\n'
    print('\n' + md)
    out = Path(a.out); out.parent.mkdir(parents=True, exist_ok=True); out.write_text(md)
    print(f'written to {out}')

if __name__ == '__main__':
    main()
