"""The cost of evaluating a run at the quick profile's sizes: 2 000 calibration + 1 000 test images against the old 256 + 256.

Run from the repository root:  .venv/bin/python bench/bench_eval.py [--runs 2] [--threads 2]
Times `partseg.runs.evaluate_method` (every metric the method reports, with the controls and the code-shuffle control
where the method has one) on a freshly initialised quick-profile model of each method, at both sizes; prints a
markdown table (median seconds of `--runs` repetitions and their ratio) and writes it to bench/_out/eval.md.
Untrained models segment as fast as trained ones, so the times are those of a finished run's evaluation.
"""
import argparse, statistics, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import torch
from partseg.methods import get_method
from partseg.data.worlds import get_world
import partseg.runs as R

CASES = [('grid', 'puppets', {}), ('liu2021', 'faces', {}), ('siarohin2020', 'faces', {}), ('braun2020', 'puppets', {}),
         ('esser2019', 'puppets', {})]

def time_eval(method, world, sizes, runs):
    "Median seconds of `runs` evaluations of `method` on `world` at `sizes` (n_calib, n_test)."
    R.EVAL_SIZES['_bench'] = dict(n_calib=sizes[0], n_test=sizes[1])
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter(); R.evaluate_method(method, world, '_bench', 'cpu'); ts.append(time.perf_counter() - t0)
    return statistics.median(ts)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--runs', type=int, default=1); p.add_argument('--threads', type=int, default=2)
    p.add_argument('--out', default=str(ROOT / 'bench' / '_out' / 'eval.md'))
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    rows = []
    for name, world, ov in CASES:
        cls = get_method(name); cfg = cls.Config.profile('quick', **ov)
        m = cls(cfg).eval(); w = get_world(world, res=cfg.res)
        old, new = time_eval(m, w, (256, 256), a.runs), time_eval(m, w, (2000, 1000), a.runs)
        rows.append((name, world, cfg.res, old, new))
        print(f'{name:14s} {world:8s} {old:7.1f} s -> {new:7.1f} s ({new / old:.1f}x)', flush=True)
    import platform
    lines = ["### Evaluation at the quick profile's sizes (issue 28; `bench/bench_eval.py`)", '',
             f"{platform.machine()}, {a.threads} threads, CPU, torch {torch.__version__}; median of {a.runs} repetition(s); freshly initialised "
             "quick-profile models. `partseg.runs.evaluate_method`: every metric the method reports, with the grid/center/oracle controls "
             "and, for decoder methods, the code-shuffle control on 512 test pairs.", '',
             '| method | world | res | 256 + 256 images (s) | 2 000 + 1 000 images (s) | ratio |', '|---|---|---|---|---|---|']
    lines += [f'| {n} | {w} | {r} | {o:.1f} | {x:.1f} | {x / o:.1f}× |' for n, w, r, o, x in rows]
    Path(a.out).parent.mkdir(exist_ok=True); Path(a.out).write_text('\n'.join(lines) + '\n'); print('\n'.join(lines))

if __name__ == '__main__':
    main()
