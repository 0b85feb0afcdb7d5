"Baselines (issue 7): registry wiring into the papers' tables, the CRF evaluation hook, and the baselines paper notebook."
import json, subprocess, sys
import numpy as np, pytest, torch
from partseg.registry import select, get_experiment, feeding
from partseg.runs import run_experiment
from partseg.experiments.baselines import BASELINE_RUNS
from partseg.methods import get_method

TRAINED = ('scops', 'imm', 'lorenz2019', 'dff')

def test_every_baseline_feeds_the_tables_the_issue_names():
    have = {(e.method, t) for e in select('baselines') for t in e.tags['tables']}
    for m, t in [('scops', 'liu2021/Tab_1'), ('scops', 'liu2021/Tab_2'), ('scops', 'liu2021/Tab_5'), ('scops', 'ganseg2022/Tab_1'),
                 ('scops', 'ganseg2022/Tab_2'), ('scops', 'ganseg2022/Tab_3'), ('scops', 'siarohin2020/Tab_1a'),
                 ('imm', 'liu2021/Tab_1'), ('imm', 'liu2021/Tab_2'), ('imm', 'ganseg2022/Tab_1'), ('imm', 'braun2020/Tab_1'),
                 ('imm', 'braun2020/Tab_2'), ('lorenz2019', 'liu2021/Tab_1'), ('lorenz2019', 'ganseg2022/Tab_1'),
                 ('lorenz2019', 'braun2020/Tab_1'), ('lorenz2019', 'braun2020/Tab_7'), ('dff', 'siarohin2020/Tab_1a'),
                 ('dff', 'ganseg2022/Tab_1'), ('dff', 'ganseg2022/Tab_3')]:
        assert (m, t) in have, (m, t)
    # the with-saliency rows read GT foreground, and only those
    for e in select('baselines'):
        if e.method == 'scops': assert (e.config('quick').saliency == 'gt') == (e.tags['variant'] == 'gt-fg'), e.key

@pytest.mark.parametrize('method', TRAINED)
def test_baseline_contract_on_a_smoke_step(method):
    "Each baseline trains one smoke step on its pairing and segments into (B, K+1, H, W) probabilities."
    from partseg.data.pairs import make_source
    cls = get_method(method)
    m = cls(cls.Config.profile('smoke', n_parts=3))
    b = make_source('faces', m.pairing, batch_size=2, res=m.cfg.res, pair_cfg=m.pair_config())(0)
    torch.manual_seed(0)
    for s in range(m.cfg.steps):
        out = m.training_step(b, s)
        if not m.manual_optimization and 'loss' in out and out['loss'].requires_grad:
            opts = m.configure_optimizers(); out['loss'].backward(); [o.step() for o in opts.values()]
    p = m.eval().segment(b['image'])
    assert p.shape == (2, 4, m.cfg.res, m.cfg.res)
    torch.testing.assert_close(p.sum(1), torch.ones(2, m.cfg.res, m.cfg.res), atol=1e-4, rtol=0)

def test_crf_rows_are_evaluated_with_the_sigma_sweep(root):
    "A keypoint run tagged with crf_sigmas gets braun2020's σ sweep in its metrics, σ chosen on 'calib'."
    e = get_experiment('baselines/imm-puppets-K25')
    m = run_experiment(e.key, 'smoke', progress=False)
    for s in (0.01, 0.05, 0.1):
        assert f'part_iou_val@{s:g}' in m and f'part_iou_test@{s:g}' in m
    best = max((0.01, 0.05, 0.1), key=lambda s: (m[f'part_iou_val@{s:g}'], -s))
    assert m['crf_sigma'] == best and m['part_iou_crf'] == m[f'part_iou_test@{best:g}']
    assert 'landmark_err' in m and 'fg_iou' in m   # the usual evaluation is still there

def test_baselines_notebook_on_partial_runs(root):
    "One smoke run: the baselines notebook writes the quality table (with the missing runs named), the σ sweep and the picture."
    r = subprocess.run([sys.executable, '-m', 'partseg', 'reproduce', '--profile', 'smoke', '--only', 'baselines/lorenz2019-puppets-K25'],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    out = root / 'runs/smoke/figures/baselines'
    q = (out / 'quality.md').read_text()
    assert 'Finding:' in q and 'baselines/lorenz2019-puppets-K25' in q and 'not measured (runs missing)' in q
    assert 'baselines/scops-faces-wild-large-K8' in q                                  # a missing run is named, not dropped
    sw = (out / 'crf_sigma_sweep.md').read_text()
    assert sw.count('baselines/lorenz2019-puppets-K25') >= 3 and '✓' in sw       # three σ, one selected
    assert (out / 'parts.png').exists() and 'lorenz2019-puppets-K25' in (out / 'parts.md').read_text()
