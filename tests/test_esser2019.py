"""esser2019: the variants train, resume with their multipliers, and the CLI writes Table 1 / Fig. 7 metrics."""
import json, math
import pytest, torch
from partseg.methods.esser2019 import Esser2019, Esser2019Config, VARIANTS
from partseg.data.pairs import make_source
from partseg.train import fit, load_method
from partseg.cli import main
from partseg.runs import run_dir
from partseg.registry import select

@pytest.mark.parametrize('variant', list(VARIANTS))
def test_every_variant_takes_two_steps(variant):
    src = make_source('puppets', 'video', batch_size=4, res=16, pair_cfg=dict(video_max_gap=200))
    extra = dict(n_keypoints=src.world.n_keypoints) if variant == 'posesup' else {}
    torch.manual_seed(0)
    m = Esser2019(Esser2019Config.profile('smoke', **VARIANTS[variant], **extra)); m.configure_optimizers()
    for s in range(2): out = m.training_step(src(s), s)
    assert all(torch.isfinite(v).all() for v in out.values()), variant
    if VARIANTS[variant].get('gamma_rule') == 'zero': assert float(m.mi.gamma) == 0.
    if not m.cfg.use_mi_loss: assert float(m.mi.lam) == 0.

def test_resume_keeps_gamma_and_lambda(tmp_path):
    cfg = Esser2019Config.profile('smoke', steps=6, warmup=0, gamma_lr=0.5, mi_mu=1.0, mi_eps=-1.0)  # ε < 0: λ must grow
    src = make_source('puppets', 'video', batch_size=4, res=16, pair_cfg=dict(video_max_gap=200))
    torch.manual_seed(0); a = Esser2019(cfg)
    fit(a, src, run_dir=tmp_path/'a', ckpt_every=3, progress=False)
    torch.manual_seed(0); b = Esser2019(cfg)
    fit(b, src, run_dir=tmp_path/'b', ckpt_every=3, progress=False, max_steps_this_call=3)
    b2 = Esser2019(cfg); r = fit(b2, src, run_dir=tmp_path/'b', ckpt_every=3, progress=False)
    assert r['step'] == 6 and float(a.mi.lam) > 0
    assert math.isclose(float(a.mi.lam), float(b2.mi.lam), rel_tol=1e-4)
    assert math.isclose(float(a.mi.gamma), float(b2.mi.gamma), rel_tol=1e-4, abs_tol=1e-6)

def test_cli_run_writes_the_table_1_and_fig_7_metrics(root, capsys):
    assert len(select('esser2019')) == 14
    assert main(['train', 'esser2019/puppets-adaptive', '--profile', 'smoke', '--no-notebook']) == 0
    d = run_dir('esser2019/puppets-adaptive', 'smoke', 0)
    m = json.loads((d/'metrics.json').read_text())
    for k in ('I_T', 'I_T2', 'I_post', 'L_rec', 'triplet_mse', 'triplet_mse_fg', 'recon_mse', 'gamma', 'lam'): assert math.isfinite(m[k]), k
    assert len(m['triplet_mse_per_sample']) == 16
    model = load_method(d)
    x = torch.rand(2, 3, 16, 16)
    assert model.transfer(x, x.flip(0)).shape == (2, 3, 16, 16)
    with pytest.raises(ValueError, match=r'\(B,3,16,16\)'): model.transfer(torch.rand(2, 3, 8, 8), x)

def test_paper_notebooks_on_partial_runs(root):
    "One smoke run only: both esser2019 notebooks build every artifact, with the paper's numbers, and name the missing runs."
    import subprocess, sys
    # through papermill: the train template must also show a method without part maps
    r = subprocess.run([sys.executable, '-m', 'partseg', 'reproduce', '--profile', 'smoke', '--only', 'esser2019/puppets-adaptive'],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    out = root / 'runs/smoke/figures/esser2019'
    for a in ('Tab_1.md', 'Tab_1.csv', 'Tab_1.png', 'Fig_7.md', 'Fig_7.png', 'Tab_2.md', 'Tab_2.csv', 'Fig_1.md', 'Fig_1.png',
              'Fig_1_retrieval.png', 'Fig_2.md', 'Fig_5.md'):
        assert (out / a).exists(), a
    t1 = (out / 'Tab_1.md').read_text()
    assert '0.8727' in t1 and 'Finding:' in t1 and 'are missing: 4 run(s)' in t1 and 'esser2019/puppets-adversarial' in t1
    assert 'not measured' in t1 and '**inconclusive**' in t1 and '**holds**' not in t1   # claims about missing rows are never called held
    t2 = (out / 'Tab_2.md').read_text()
    assert '25.4' in t2 and 'reference: ground truth x₂' in t2 and 'esser2019/puppets-posesup' in t2
    assert 'missing runs: esser2019/faces-adaptive' in (out / 'Fig_2.md').read_text()
    assert not (out / 'Fig_2.png').exists()

def test_t_and_t_prime_are_the_official_codes_separable_critic_and_braun2020_keeps_its_mlp():
    from partseg.methods.braun2020 import Braun2020, Braun2020Config
    m = Esser2019(Esser2019Config.profile('smoke'))
    assert m.mi.T.kind == m.mi.T2.kind == 'separable'
    assert Esser2019Config().t_lr == 2 * Esser2019Config().lr and Esser2019Config.profile('quick').t_lr == 2 * Esser2019Config.profile('quick').lr
    assert Braun2020(Braun2020Config.profile('smoke')).mi.T.kind == 'mlp'
