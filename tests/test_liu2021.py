"liu2021 through the real training loop: run directory, exact resume, segment contract, ablation switches, evaluate."
import json, pytest, torch
from partseg.core import seed_everything, load_json
from partseg.methods import get_method, available_methods
from partseg.methods.liu2021 import Liu2021, Liu2021Config
from partseg.data.pairs import make_source
from partseg.train import fit
from partseg.metrics import evaluate
from partseg.data.worlds import get_world

# the paper's networks at smoke size, a narrow decoder and a ResNet-18 appearance trunk to stay fast
TINY = dict(appearance_backbone='resnet18', decoder_width=32, n_parts=3)

def _method(**ov):
    return Liu2021(Liu2021Config.profile('smoke', **{**TINY, **ov}))

def _source(m, seed=0):
    return make_source('faces', 'tps', batch_size=m.cfg.batch_size, seed=seed, res=m.cfg.res, pair_cfg=m.pair_config())

def test_registered():
    assert 'liu2021' in available_methods() and get_method('liu2021') is Liu2021
    assert Liu2021.pairing == 'tps' and Liu2021().pair_config() == 'liu2021'

def test_fit_run_dir_and_resume(tmp_path):
    seed_everything(0); a = _method(steps=4); src = _source(a)
    ra = fit(a, src, run_dir=tmp_path/'a', progress=False, log_every=1, ckpt_every=2)
    assert (tmp_path/'a'/'ckpt.pt').exists() and ra['step'] == 4
    lines = (tmp_path/'a'/'stats.jsonl').read_text().splitlines()
    assert len(lines) == 4 and all(k in lines[-1] for k in ('"loss"', '"rec"', '"cls"', '"fg"', '"bg"'))
    seed_everything(0); b = _method(steps=4)
    fit(b, src, run_dir=tmp_path/'b', progress=False, log_every=1, ckpt_every=2, max_steps_this_call=3)  # "killed" after step 3
    b2 = _method(steps=4); rb = fit(b2, src, run_dir=tmp_path/'b', progress=False, log_every=1, ckpt_every=2)  # resumes at 2
    assert rb['step'] == 4
    sa, sb = a.state_dict(), b2.state_dict()
    assert sa.keys() == sb.keys()
    for k in sa: torch.testing.assert_close(sa[k], sb[k], msg=k)
    strip = lambda l: {k: v for k, v in json.loads(l).items() if k != 'time'}
    assert [strip(l) for l in (tmp_path/'b'/'stats.jsonl').read_text().splitlines()] == [strip(l) for l in lines]

def test_segment_contract():
    torch.manual_seed(0); m = _method().eval()
    x = torch.rand(3, 3, 40, 24)
    p = m.segment(x)
    assert p.shape == (3, 4, 40, 24) and p.min() >= 0
    torch.testing.assert_close(p.sum(1), torch.ones(3, 40, 24))
    assert m.transfer(x, x.flip(0)).shape == x.shape
    assert m.run_info['perceptual_backbone'].startswith('vgg19')

@pytest.mark.parametrize('flag', ['use_rec', 'use_cls', 'use_fg', 'use_bg'])
def test_ablation_trains(flag):
    seed_everything(0); m = _method(steps=2, **{flag: False})
    r = fit(m, _source(m), progress=False, log_every=1)
    term = flag.removeprefix('use_')
    assert r['step'] == 2 and r[term] == 0. and all(r[t] != 0. for t in {'rec', 'cls', 'fg', 'bg'} - {term})

def test_evaluate_runs():
    seed_everything(0); m = _method(steps=2); fit(m, _source(m), progress=False)
    res = evaluate(m, get_world('faces', res=32), n_calib=8, n_test=8, batch_size=8)
    assert 0 <= res['fg_iou'] <= 1 and 'part_iou_calibrated' in res
