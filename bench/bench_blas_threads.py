"""BLAS threads beside `--jobs 2`: two processes side by side, each with one torch thread, with the BLAS / OpenMP pools at
their default (one thread per core) or limited by `partseg.core.limit_threads(1)`.

Run from the repository root:  .venv/bin/python bench/bench_blas_threads.py [--eval]
Needs the finished quick runs `baselines/dff-puppets-K10` seeds 0 and 1 (`partseg train baselines/dff-puppets-K10 --seed 0`
and `--seed 1`, about 2 min each). Default: each process times DFF's NMF coefficients (scikit-learn) and its VGG features
of 128 test images (≈ 1 min in all). `--eval`: each process evaluates its run (`evaluate_run(..., write=False)`: 2 000
calibration + 1 000 test images, ≈ 5–6 min a mode). Prints a markdown table.
"""
import json, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEY = 'baselines/dff-puppets-K10'

def one(mode: str, seed: int, full: bool) -> dict:
    "In this process: the timings of one side (`mode` 'default' or 'limit')."
    import warnings; warnings.filterwarnings('ignore')
    import torch
    from partseg.core import limit_threads
    if mode == 'limit': limit_threads(1)
    else: torch.set_num_threads(1)
    from partseg.runs import finished_method, trained_world, evaluate_run, run_dir
    if full:
        t = time.perf_counter(); m = evaluate_run(run_dir(KEY, 'quick', seed), write=False)
        return dict(seconds=time.perf_counter() - t, fg_iou=m['fg_iou'])
    from partseg.methods.dff import nmf_coefficients
    m, w = finished_method(KEY, 'quick', seed), trained_world(KEY, 'quick', seed)
    tf = tn = 0.
    for s in (0, 64):
        x = w.sample(list(range(s, s + 64)), 'test')['image']
        t = time.perf_counter(); f = m.features(x); tf += time.perf_counter() - t
        A = f.permute(0, 2, 3, 1).reshape(-1, f.shape[1])
        t = time.perf_counter(); nmf_coefficients(A, m.H, m.cfg.max_iter, m.cfg.tol); tn += time.perf_counter() - t
    return dict(features=tf, nmf=tn)

def main():
    full = '--eval' in sys.argv
    rows = []
    for mode in ('default', 'limit'):
        procs = [subprocess.Popen([sys.executable, __file__, '--one', mode, str(s)] + (['--eval'] if full else []), cwd=ROOT,
                                  stdout=subprocess.PIPE, text=True) for s in (0, 1)]
        rows.append((mode, [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]))
    if full:
        md = ['| BLAS pools | evaluation seconds (seed 0 / seed 1) | foreground IoU (seed 0 / seed 1) |', '|---|---|---|']
        md += [f"| {m} | {r[0]['seconds']:.1f} / {r[1]['seconds']:.1f} | {r[0]['fg_iou']:.5f} / {r[1]['fg_iou']:.5f} |" for m, r in rows]
    else:
        md = ['| BLAS pools | NMF coefficients, 128 images (s, seed 0 / 1) | VGG features, 128 images (s, seed 0 / 1) |', '|---|---|---|']
        md += [f"| {m} | {r[0]['nmf']:.1f} / {r[1]['nmf']:.1f} | {r[0]['features']:.1f} / {r[1]['features']:.1f} |" for m, r in rows]
    print('\n'.join(md))

if __name__ == '__main__':
    if '--one' in sys.argv:
        i = sys.argv.index('--one')
        print(json.dumps(one(sys.argv[i + 1], int(sys.argv[i + 2]), '--eval' in sys.argv)))
    else: main()
