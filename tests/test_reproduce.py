"""The reproduction driver: papermill smoke run end to end, finished runs kept, failures reported, exact resume."""
import json, subprocess, sys, time
from pathlib import Path
import pytest
from partseg.registry import REGISTRY, Experiment, register_experiment, get_experiment
from partseg.batch import run_all, reproduce
from partseg.runs import run_experiment, run_dir, build
from partseg.train import fit

def test_smoke_reproduce_through_papermill(root):
    cmd = [sys.executable, '-m', 'partseg', 'reproduce', '--profile', 'smoke', '--only', 'benchmark/grid-faces']
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    for s in (0, 1, 2):
        d = run_dir('benchmark/grid-faces', 'smoke', s)
        for f in ('config.json', 'metrics.json', 'ckpt.pt', 'train.ipynb'): assert (d/f).exists(), (s, f)
    table = root/'runs/smoke/figures/benchmark/baselines.md'
    txt = table.read_text()
    assert 'profile: `smoke`' in txt and '| faces | grid |' in txt and 'Finding:' in txt
    assert not (root/'figures').exists()        # smoke figures never land in figures/
    # a second call finds everything finished and retrains nothing
    r2 = subprocess.run(cmd + ['--no-figures'], capture_output=True, text=True, timeout=300)
    assert r2.returncode == 0 and '0 run(s) to do, 3 already finished' in r2.stdout, r2.stdout + r2.stderr

def test_failed_run_is_reported_and_the_batch_goes_on(root):
    bad = Experiment('benchmark/_broken', 'benchmark', 'baselines', 'center', 'faces', dict(n_parts=3), seeds=(0,))
    good = get_experiment('benchmark/center-faces')
    register_experiment(bad)
    try:
        log = []
        res = run_all([bad, good], 'smoke', notebook=False, log=log.append)
        errs = {(k, s): e for k, s, e, _ in res}
        assert 'exactly one part' in errs[('benchmark/_broken', 0)]
        assert all(errs[('benchmark/center-faces', s)] is None for s in good.seeds)
        assert any("FAILED benchmark/_broken" in l for l in log)
        assert not reproduce('smoke', only='benchmark/_broken', notebook=False, figures=False, log=log.append)
    finally:
        REGISTRY.pop('benchmark/_broken')

def test_killed_and_resumed_run_ends_with_the_same_metrics(root, tmp_path, monkeypatch):
    exp = register_experiment(Experiment('benchmark/_resume', 'benchmark', 'baselines', 'colorclusters', 'faces',
                                         dict(n_parts=4, steps=8), seeds=(0,)))
    try:
        full = run_experiment(exp.key, 'smoke', 0, ckpt_every=3, progress=False)
        # the same run in another root, "killed" after 5 steps (last checkpoint at step 3), then resumed
        monkeypatch.setenv('PARTSEG_ROOT', str(tmp_path/'other'))
        method, world, source = build(exp, 'smoke', 0, 'cpu')
        d = run_dir(exp.key, 'smoke', 0)
        fit(method, source, run_dir=d, seed=0, ckpt_every=3, progress=False, max_steps_this_call=5)
        assert json.loads((d/'stats.jsonl').read_text().splitlines()[-1])['step'] == 4
        resumed = run_experiment(exp.key, 'smoke', 0, ckpt_every=3, progress=False)
        strip = lambda m: {k: v for k, v in m.items() if not k.endswith('seconds')}
        assert strip(resumed) == strip(full)
    finally:
        REGISTRY.pop('benchmark/_resume')

def _train_cmd(*extra):
    return [sys.executable, '-m', 'partseg', 'train', '--method', 'colorclusters', '--world', 'faces', '--profile', 'smoke',
            '--set', 'steps=600', 'n_parts=4', '--no-notebook', '--ckpt-every', '20', *extra]

def test_sigkilled_run_resumes_to_the_same_metrics(tmp_path):
    "A real kill (SIGKILL, mid-training), then the same command again: same metrics as a run never interrupted."
    import os, signal
    env = lambda r: {**os.environ, 'PARTSEG_ROOT': str(r)}
    d = lambda r: r/'runs/smoke/adhoc/colorclusters-faces-steps=600-n_parts=4/seed0'
    a, b = tmp_path/'a', tmp_path/'b'
    subprocess.run(_train_cmd(), env=env(a), check=True, capture_output=True, timeout=600)
    p = subprocess.Popen(_train_cmd(), env=env(b), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.time()
    while not (d(b)/'ckpt.pt').exists() and p.poll() is None and time.time() - t0 < 300: time.sleep(0.05)
    time.sleep(0.3)
    p.send_signal(signal.SIGKILL); p.wait()
    assert not (d(b)/'metrics.json').exists(), 'the run finished before it could be killed: make it longer'
    r = subprocess.run(_train_cmd(), env=env(b), check=True, capture_output=True, text=True, timeout=600)
    steps = [json.loads(l)['step'] for l in (d(b)/'stats.jsonl').read_text().splitlines()]
    assert steps == sorted(set(steps)) and steps[-1] == 599
    strip = lambda m: {k: v for k, v in m.items() if not k.endswith('seconds')}
    ma, mb = (json.loads((d(r)/'metrics.json').read_text()) for r in (a, b))
    assert strip(ma) == strip(mb)
