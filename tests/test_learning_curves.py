"""Learning curves: every run that trains logs its metric at a few steps (`curve.jsonl`), a resumed run neither
duplicates nor loses a point, and `nbs/paper/all_learning_curves.ipynb` writes a page per paper, with or without curves."""
import json, re
from pathlib import Path
import pytest, torch
from partseg.core import load_json
from partseg.registry import get_experiment
from partseg.runs import run_experiment, run_dir, build, curve_fn, read_curve, CURVE_SIZES
from partseg.train import fit, curve_steps, load_checkpoint

def _lines(d: Path) -> list[dict]: return [json.loads(l) for l in (d/'curve.jsonl').read_text().splitlines()]

def test_smoke_run_writes_its_curve(root):
    "A smoke run of a method that trains logs the method's own part-map metrics at 0, ¼, ½, ¾ and all of its steps."
    key = 'benchmark/colorclusters-faces'
    m = run_experiment(key, 'smoke', 0, progress=False)
    d = run_dir(key, 'smoke', 0); steps = get_experiment(key).config('smoke').steps
    pts = _lines(d)
    assert [p['step'] for p in pts] == curve_steps(steps) and steps > 0
    assert 'not fitted' in pts[0]['error']                 # colour clusters cannot segment before their first step: said, not fatal
    assert all({'landmark_err', 'fg_iou', 'part_iou_calibrated', 'health/layout_agreement'} <= set(p) for p in pts[1:])
    assert all(0 <= p['fg_iou'] <= 1 for p in pts[1:])
    assert m['curve_seconds'] == pytest.approx(sum(p['eval_seconds'] for p in pts), abs=0.02)
    assert load_json(d/'config.json')['curve'] == CURVE_SIZES['smoke']
    assert read_curve(d)['step'].tolist() == curve_steps(steps)

def test_trivial_baseline_has_no_curve(root):
    "A method with nothing to train (grid) gets no curve: one point is not a curve."
    run_experiment('benchmark/grid-faces', 'smoke', 0, progress=False)
    assert not (run_dir('benchmark/grid-faces', 'smoke', 0)/'curve.jsonl').exists()

def test_resumed_curve_neither_duplicates_nor_loses(root, tmp_path):
    "Killed after its ½ point, before the checkpoint after it: the resumed run re-evaluates that point once and ends with the uninterrupted curve."
    e = get_experiment('esser2019/puppets-variational')
    def run(d, **kw):
        m, world, src = build(e, 'smoke', 0, 'cpu')
        return fit(m, src, steps=8, run_dir=d, seed=0, device='cpu', progress=False, ckpt_every=3,
                   eval_fn=curve_fn(world, 'smoke', 'cpu'), **kw)
    run(tmp_path/'a')
    full = _lines(tmp_path/'a')
    assert [p['step'] for p in full] == [0, 2, 4, 6, 8] and 'triplet_mse_fg' in full[0]
    run(tmp_path/'b', max_steps_this_call=5)               # points 0, 2, 4 written; checkpoint at step 3
    assert [p['step'] for p in _lines(tmp_path/'b')] == [0, 2, 4] and load_checkpoint(tmp_path/'b')['step'] == 3
    r = run(tmp_path/'b')                                   # resumes from 3: point 4 (a lost model) again, 0 and 2 kept
    assert [p['step'] for p in r['curve']] == [4, 6, 8]
    got = _lines(tmp_path/'b')
    assert [p['step'] for p in got] == [0, 2, 4, 6, 8]
    strip = lambda ps: [{k: v for k, v in p.items() if k != 'eval_seconds'} for p in ps]
    assert strip(got) == strip(full)                        # the same model at every step, so the same numbers

def _execute(root: Path, **params):
    import papermill as pm
    from partseg.batch import nbs_dir, kernel_name
    (root/'_paper').mkdir(exist_ok=True)
    pm.execute_notebook(str(nbs_dir()/'paper'/'all_learning_curves.ipynb'), str(root/'_paper'/'all_learning_curves.ipynb'), cwd=str(root),
                        parameters=dict(profile='smoke', root=str(root), **params), progress_bar=False, kernel_name=kernel_name())

def test_page_without_curves(root):
    "No run at all: each page says there is no curve, names the missing runs and their command, and links no picture."
    (root/'settings.ini').write_text('[DEFAULT]\nlib_name = partseg\n')
    _execute(root, papers='esser2019,benchmark')
    for paper in ('esser2019', 'benchmark'):
        text = (root/f'runs/smoke/figures/{paper}/learning_curves.md').read_text()
        finding = next(l for l in text.splitlines() if l.startswith('Finding:'))
        assert finding.startswith('Finding: no learning curves.'), finding
        assert re.search(rf'{paper}/[\w.-]+ seed 0', finding) and f'`partseg reproduce --profile smoke --only {paper}`' in finding
        assert '![' not in text and not (root/f'runs/smoke/figures/{paper}/learning_curves.png').exists()
        assert 'grid-' not in finding                        # the trivial baselines train nothing: not asked for
        from test_paper_missing import faults                # the paper notebooks' rules for a page whose runs are missing
        assert not faults(root/f'runs/smoke/figures/{paper}/learning_curves.md'), faults(root/f'runs/smoke/figures/{paper}/learning_curves.md')

def test_page_with_a_curve(root):
    "One finished run with a curve: the page draws it, judges it (one seed: no spread) and still names the runs it lacks."
    (root/'settings.ini').write_text('[DEFAULT]\nlib_name = partseg\n')
    run_experiment('benchmark/colorclusters-faces', 'smoke', 0, progress=False)
    _execute(root, papers=['benchmark'])
    fig = root/'runs/smoke/figures/benchmark'
    text = (fig/'learning_curves.md').read_text()
    assert (fig/'learning_curves.png').stat().st_size > 0 and '![learning_curves](learning_curves.png)' in text
    assert 'benchmark/colorclusters-faces (seed 0)' in text
    finding = next(l for l in text.splitlines() if l.startswith('Finding:'))
    c = read_curve(run_dir('benchmark/colorclusters-faces', 'smoke', 0))
    change = c['landmark_err'].iloc[-1] - c.loc[c.step <= 0.75 * c.step.iloc[-1], 'landmark_err'].iloc[-1]
    assert f"colorclusters-faces {change:+.3g} landmark_err" in finding, finding
    total = c["landmark_err"].iloc[-1] - c["landmark_err"].dropna().iloc[0]
    assert f"({100 * change / total:.0f} % of its change since its first point)" in finding, finding
    assert 'benchmark/colorclusters-puppets seed 0' in finding   # unfinished: named, with its command
    assert '| colorclusters-faces | faces | landmark_err | 1 |' in text and '| share of the change |' in text
    from test_paper_missing import faults
    assert not faults(fig/'learning_curves.md', all_missing=False), faults(fig/'learning_curves.md', all_missing=False)
