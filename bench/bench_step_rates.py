"""Seconds per training step of registered quick experiments, two at a time, as `partseg reproduce --jobs 2` trains them.

Run from the repository root:  .venv/bin/python bench/bench_step_rates.py [--steps 30] [KEY ...]
Each experiment trains in its own process on one thread: 5 warm-up steps, then `--steps` timed steps of `fit` with
no learning-curve points and no checkpoint; the experiments run in pairs so that two share the 2-core CPU. Prints a
markdown table (seconds per step, the quick profile's steps, minutes of training per run). `bench/rebuild.md` holds
the table measured on 2026-12-03.
"""
import argparse, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
KEYS = ['esser2019/puppets-adaptive', 'braun2020/puppets-none', 'liu2021/faces-wild-K8-full', 'siarohin2020/puppets-full',
        'ganseg2022/puppets-K10', 'baselines/scops-puppets-K10-gt-fg', 'baselines/imm-puppets-K25', 'baselines/lorenz2019-puppets-K25']

def rate(key: str, steps: int) -> tuple[float, int]:
    "Seconds per step of `key` (quick profile, CPU, one thread) after 5 warm-up steps, and its quick profile's steps."
    import torch
    torch.set_num_threads(1)
    from partseg.runs import build
    from partseg.registry import get_experiment
    from partseg.train import fit
    exp = get_experiment(key)
    for n, timed in ((5, False), (steps, True)):   # a fresh model each time; the first call warms up the process
        method, _, source = build(exp, 'quick', 0, 'cpu'); method.cfg.steps = n
        t0 = time.perf_counter()
        fit(method, source, run_dir=tempfile.mkdtemp(), seed=0, device='cpu', progress=False, ckpt_every=10**6, eval_fn=None)
    return (time.perf_counter() - t0) / steps, exp.config('quick').steps

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('keys', nargs='*', default=KEYS)
    p.add_argument('--steps', type=int, default=30)
    p.add_argument('--one', help=argparse.SUPPRESS)   # child process: measure one key, print its rate
    a = p.parse_args(argv)
    if a.one:
        r, n = rate(a.one, a.steps); print(f"{r} {n}"); return
    rows = []
    for i in range(0, len(a.keys), 2):   # two experiments share the CPU, as under --jobs 2
        pair = a.keys[i:i + 2]
        procs = [subprocess.Popen([sys.executable, __file__, '--one', k, '--steps', str(a.steps)], stdout=subprocess.PIPE, text=True)
                 for k in pair]
        for k, pr in zip(pair, procs):
            out, _ = pr.communicate()
            if pr.returncode: sys.exit(f"bench_step_rates.py: {k} failed (exit {pr.returncode})")
            r, n = out.split()[-2:]; rows.append((k, float(r), int(n)))
    print("| experiment | s / step | quick steps | minutes per run (training) |\n|---|---|---|---|")
    for k, r, n in rows: print(f"| {k} | {r:.2f} | {n:,} | {r * n / 60:.1f} |".replace(',', ' '))

if __name__ == '__main__':
    main()
