"""Base runs and fine-tunes (`Experiment.init_from`): the fine-tune starts from the base's final weights, less `init_skip`; the batch trains the base first."""
import pytest, torch
from partseg.registry import REGISTRY, Experiment
from partseg.runs import build, run_dir, init_weights
from partseg.batch import run_all
from partseg.train import load_checkpoint

SIA = dict(paper='zz', artifact='t', method='siarohin2020', world='faces', overrides=dict(n_parts=3), profile_seeds={'smoke': (0, 1)})

@pytest.fixture
def exps(root):
    base = Experiment('zz/base', seeds=(0,), **{**SIA, 'profile_seeds': {}})
    ft = Experiment('zz/ft', init_from='zz/base', init_seed=0, init_skip=('seg.segment_head',), **SIA)
    k5 = Experiment('zz/ft-k5', init_from='zz/base', init_seed=0, **{**SIA, 'overrides': dict(n_parts=5)})
    for e in (base, ft, k5): REGISTRY[e.key] = e
    yield base, ft, k5
    for e in (base, ft, k5): del REGISTRY[e.key]

def test_a_fine_tune_waits_for_its_base_and_starts_from_it(exps):
    base, ft, k5 = exps
    with pytest.raises(ValueError, match=r"zz/ft seed 0 fine-tunes from zz/base seed 0 \(smoke\), which is not finished"):
        build(ft, 'smoke', 0, 'cpu')
    log = []
    res = run_all([ft, k5], 'smoke', jobs=2, notebook=False, log=log.append)   # the base is not selected: the batch adds it, first
    assert [r[2] for r in res] == [None] * 5, res
    assert log[0].startswith('5 run(s) to do') and res[0][:2] == ('zz/base', 0)
    sd = load_checkpoint(run_dir('zz/base', 'smoke', 0)/'ckpt.pt')['model']
    m0, m1 = (build(ft, 'smoke', s, 'cpu')[0].state_dict() for s in (0, 1))
    for k, v in sd.items():   # every entry but the skipped head comes from the base; the head is each seed's own
        if k.startswith('seg.segment_head'): assert not torch.equal(m0[k], v) and not torch.equal(m0[k], m1[k])
        else: assert torch.equal(m0[k], v), k
    info = build(k5, 'smoke', 0, 'cpu')[0].run_info['init_run']   # K = 5: the heads' shapes differ, they stay fresh
    assert info['run'] == 'zz/base' and info['loaded'] < info['of'] and any(k.startswith('seg.segment_head') for k in info['fresh'])

def test_a_fine_tune_of_a_failed_base_is_not_started(exps, monkeypatch):
    base, ft, _ = exps
    monkeypatch.setitem(REGISTRY, 'zz/base', Experiment('zz/base', seeds=(0,), **{**SIA, 'profile_seeds': {}, 'overrides': dict(n_parts=3, motion='bogus')}))
    log = []
    res = run_all([ft], 'smoke', notebook=False, log=log.append)
    assert res[0][:2] == ('zz/base', 0) and res[0][2] and all(r[2] == 'not started: its base run zz/base seed 0 failed' for r in res[1:])
