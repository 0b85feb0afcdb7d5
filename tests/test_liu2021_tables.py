"""liu2021's reproduction: registry, the paper's own landmark protocol beside ours, and the table notebooks on partial runs."""
import subprocess, sys
from partseg.reproduce import feeding, get_experiment, select, collect, run_dir
from partseg.reported import reported

def test_registry_feeds_every_table():
    for t in ('Tab_1', 'Tab_2', 'Tab_3', 'Tab_4', 'Tab_5', 'part_iou'):
        methods = {e.method for e in feeding(f'liu2021/{t}')}
        assert {'liu2021', 'grid'} <= methods, t
    # ablations feed Table 3 only; every Table 1 run is a full model
    assert {e.tags['variant'] for e in feeding('liu2021/Tab_3') if e.method == 'liu2021'} == {'full', 'w/o L_rec', 'w/o L_fg', 'w/o L_bg', 'w/o L_cls'}
    assert {e.tags['variant'] for e in feeding('liu2021/Tab_1') if e.paper == 'liu2021'} == {'full'}
    # the baselines issue's rows: SCOPS with and without (GT-foreground) saliency, IMM, Lorenz et al.
    assert {(e.method, e.tags['variant']) for e in feeding('liu2021/Tab_1') if e.paper == 'baselines'} == \
        {('scops', 'full'), ('scops', 'gt-fg'), ('imm', 'full'), ('lorenz2019', 'full')}
    e = get_experiment('liu2021/CUB-3-K4-full')
    assert e.world == 'birds' and e.world_overrides == dict(species=(2,)) and e.protocols == ('liu2021_cub',)
    # Table 1's weights: appendix Table 1, CelebA row
    c = get_experiment('liu2021/faces-wild-K4-full').config('paper')
    assert (c.n_parts, c.lambda_rec, c.lambda_cls, c.lambda_fg, c.lambda_bg, c.res, c.batch_size) == (4, 1.5, 1.5, 0.5, 1.0, 128, 32)

def test_reported_numbers_are_the_papers():
    t4 = reported('liu2021', 'Tab_4').set_index(['method', 'setting']).value
    assert t4[('liu2021', 'CUB-2')] == 17.54 and t4[('SCOPS', 'CUB-3')] == 21.07
    assert len(reported('liu2021', 'Tab_5')) == 3 * 7

def test_tables_notebooks_on_partial_runs(root):
    "Two smoke runs only: both liu2021 notebooks still build every artifact and name the missing runs."
    r = subprocess.run([sys.executable, '-m', 'partseg', 'reproduce', '--profile', 'smoke', '--only', 'liu2021/faces-wild-K8-full',
                        '--no-notebook'], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    m = collect(select('liu2021/faces-wild-K8-full'), 'smoke')
    assert (m.status == 'ok').all() and 'landmark_err@liu2021' in m and m['landmark_err@liu2021'].notna().all()
    assert (run_dir('liu2021/faces-wild-K8-full', 'smoke', 0)/'ckpt.pt').exists()
    out = root/'runs/smoke/figures/liu2021'
    for a in ('Tab_1', 'Tab_2', 'Tab_3', 'Tab_4', 'Tab_5', 'part_iou', 'Fig_3', 'Fig_4', 'Fig_5'):
        assert (out/f'{a}.md').exists(), a
    t1 = (out/'Tab_1.md').read_text()
    assert 'K=8 (wild CelebA, paper)' in t1 and '12.26' in t1 and 'Finding:' in t1
    assert 'Missing runs (' in t1 and 'liu2021/faces-wild-K4-full seed 0' in t1
    assert 'missing runs: liu2021/faces-wild-K8-wo-rec' in (out/'Fig_3.md').read_text()
