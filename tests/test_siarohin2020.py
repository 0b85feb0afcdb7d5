"""siarohin2020: the method's switches, its registry, the paper's numbers, and the paper notebooks on partial runs."""
import subprocess, sys
import pytest, torch
from partseg.methods.siarohin2020 import Siarohin2020, Siarohin2020Config, ABLATIONS, part_flows, soft_flow
from partseg.data.pairs import make_source, PairConfig
from partseg.registry import feeding, get_experiment, select
from partseg.tables import collect
from partseg.runs import run_dir
from partseg.reported import reported

def test_flow_moves_a_part_with_its_keypoint():
    "eq. 2-3: a target whose part k sits δ further than in the source fetches its pixels δ back; background stays put."
    K, S = 2, 16
    kp_s = torch.tensor([[[-0.5, 0.0], [0.5, 0.0]]]); A = torch.eye(2).expand(1, K, 2, 2)
    kp_t = kp_s + torch.tensor([[[0.25, 0.0], [0.0, 0.0]]])
    seg = torch.zeros(1, K + 1, S, S); seg[:, 0] = 1; seg[:, 0, :, :4] = 0; seg[:, 1, :, :4] = 1   # part 1 on the left columns
    flow = soft_flow(seg, part_flows(kp_s, A, kp_t, A, S))
    from kornia.geometry.grid import create_meshgrid
    z = create_meshgrid(S, S, normalized_coordinates=True)
    assert torch.allclose(flow[:, :, :4], z[:, :, :4] - torch.tensor([0.25, 0.0]), atol=1e-6)
    assert torch.allclose(flow[:, :, 4:], z[:, :, 4:], atol=1e-6)

def test_every_ablation_trains_one_step_and_naive_has_no_flow():
    src = make_source('puppets', 'video', batch_size=2, res=32, pair_cfg='siarohin2020')
    b = src(0)
    for row, (motion, vis) in ABLATIONS.items():
        torch.manual_seed(0)
        m = Siarohin2020(Siarohin2020Config.profile('smoke', n_parts=3, motion=motion, bg_visibility=vis))
        out = m.training_step(b, 0)
        out['loss'].backward()
        assert torch.isfinite(out['loss']), row
        mo = m.motion(b['image'], b['image2'])
        assert ('flow' in mo) == (motion != 'none'), row
        assert (mo.get('visibility') is not None) == (vis is not None), row

def test_pairs_span_the_whole_video():
    "§3: frame pairs are drawn from the entire clip, not neighbouring frames."
    assert PairConfig.preset('siarohin2020').video_max_gap == 200
    b = make_source('faces', 'video', batch_size=64, res=32, pair_cfg='siarohin2020')(0)
    assert (b['t2'] - b['t']).max() > 50

def test_init_from_errors_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pt'):
        Siarohin2020(Siarohin2020Config.profile('smoke'), init_from=str(tmp_path / 'nope.pt'))
    (tmp_path / 'junk.pt').write_text('not a checkpoint')
    with pytest.raises(ValueError, match='junk.pt'):
        Siarohin2020(Siarohin2020Config.profile('smoke'), init_from=str(tmp_path / 'junk.pt'))

def test_registry_and_reported_numbers():
    assert {e.method for e in feeding('siarohin2020/Tab_1a') if e.paper == 'siarohin2020'} == {'siarohin2020', 'grid', 'center'}
    assert {'scops', 'dff'} <= {e.method for e in feeding('siarohin2020/Tab_1a') if e.paper == 'baselines'}   # the paper's baseline rows
    assert {e.tags['variant'] for e in feeding('siarohin2020/Tab_1b')} == set(ABLATIONS)
    assert sorted(e.config('paper').n_parts for e in feeding('siarohin2020/Tab_1c')) == [1, 5, 10, 15]
    c = get_experiment('siarohin2020/puppets-v-back-prop').config('paper')
    assert (c.motion, c.bg_visibility, c.res, c.seg_res, c.batch_size, c.lr) == ('affine', 'backprop', 256, 64, 20, 2e-4)
    a = reported('siarohin2020', 'Tab_1a_MAE').set_index(['method', 'setting']).value
    assert a[('siarohin2020', 'Tai-Chi-HD')] == 389.78 and a[('DFF', 'VoxCeleb')] == 1254.25
    assert reported('siarohin2020', 'Tab_1c_IoU').set_index('setting').value['K=15'] == 0.9087

def test_paper_notebooks_on_partial_runs(root):
    "One smoke run only: both siarohin2020 notebooks build every artifact and name the missing runs."
    r = subprocess.run([sys.executable, '-m', 'partseg', 'reproduce', '--profile', 'smoke', '--only', 'siarohin2020/faces-full',
                        '--no-notebook'], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    m = collect(select('siarohin2020/faces-full'), 'smoke')
    assert (m.status == 'ok').all() and m['landmark_err@siarohin2020'].notna().all()
    out = root / 'runs/smoke/figures/siarohin2020'
    for a in ('Tab_1a', 'Tab_1b', 'Tab_1c', 'Fig_3', 'Fig_4', 'Fig_5', 'Fig_6', 'Fig_7'):
        assert (out / f'{a}.md').exists(), a
    assert (out / 'Fig_6.gif').exists() and (out / 'Fig_6.png').exists()
    t = (out / 'Tab_1b.md').read_text()
    assert 'VoxCeleb train rec (paper)' in t and '87.70' in t and 'Finding:' in t
    assert 'are missing: ' in t and 'siarohin2020/faces-naive seed 0' in t
    f3 = (out / 'Fig_3.md').read_text()
    assert 'missing runs: siarohin2020/faces-naive' in f3 and 'siarohin2020/puppets-full' in f3
