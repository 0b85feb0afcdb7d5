"""Exact resume: every registered method, killed after its first checkpoint and resumed in a fresh process, ends with
the weights and metrics of an uninterrupted run; the bookkeeping around it (stats.jsonl, train seconds, config checks)."""
import json, math, os, time
from dataclasses import replace
from pathlib import Path
import pytest
import torch
from torch import nn
from partseg.methods import available_methods, Method, MethodConfig
from partseg.registry import REGISTRY, Experiment
from partseg.runs import build, evaluate_method
from partseg.train import fit, load_checkpoint

STEPS, CKPT_EVERY, KILL_AFTER = 4, 2, 3   # killed at step 3: the newest checkpoint is step 2, step 2 is trained twice

def _experiment(m: str) -> Experiment:
    "A registered synthetic experiment of `m` that trains from scratch (its full method when registered), else one on `puppets`; `STEPS` steps when it trains at all."
    exps = [e for e in REGISTRY.values() if e.method == m and not e.tags.get('real_only') and e.init_from is None]
    exp = next((e for e in exps if e.tags.get('variant') in ('full', 'adaptive')), exps[0] if exps else None)
    exp = exp or Experiment(f'_resume/{m}', 'benchmark', 'baselines', m, 'puppets', seeds=(0,))
    smoke = dict(exp.profile_overrides.get('smoke', {}))
    if exp.config('smoke').steps: smoke['steps'] = STEPS
    return replace(exp, profile_overrides={**exp.profile_overrides, 'smoke': smoke})

def _build(exp: Experiment):
    "What `run_experiment` builds (a fresh process: `build` re-seeds python, numpy and torch); kpcrf wraps the world's keypoints."
    method, world, source = build(exp, 'smoke', 0, 'cpu')
    if method.key == 'kpcrf':
        from partseg.methods.kpcrf import KeypointOracle
        method.set_base(KeypointOracle(world, n=16))
    return method, world, source

def _same_metrics(a: dict, b: dict) -> bool:
    strip = lambda m: {k: v for k, v in m.items() if not k.endswith('seconds')}
    a, b = strip(a), strip(b)
    return a.keys() == b.keys() and all(x == y or (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))
                                        for x, y in ((a[k], b[k]) for k in a))

@pytest.mark.parametrize('m', available_methods())
def test_resumed_run_equals_uninterrupted_run(m, tmp_path):
    exp = _experiment(m)
    kw = dict(seed=0, device='cpu', ckpt_every=CKPT_EVERY, log_every=1, progress=False)
    full, world, source = _build(exp)
    fit(full, source, run_dir=tmp_path/'full', **kw)
    killed, _, source = _build(exp)
    r = fit(killed, source, run_dir=tmp_path/'resumed', max_steps_this_call=KILL_AFTER, **kw)
    if exp.config('smoke').steps: assert not r['done'] and load_checkpoint(tmp_path/'resumed')['step'] == CKPT_EVERY
    resumed, _, source = _build(exp)                                  # a new process picks the run up
    r = fit(resumed, source, run_dir=tmp_path/'resumed', **kw)
    assert r['done']
    a, b = full.state_dict(), resumed.state_dict()                  # on the CPU every step is deterministic: exactly equal
    assert a.keys() == b.keys()
    differ = [k for k in a if not (torch.equal(a[k], b[k]) if torch.is_tensor(a[k]) else a[k] == b[k])]
    assert not differ, f"{m}: {len(differ)} tensors differ after resuming, e.g. {differ[:5]}"
    ma, mb = evaluate_method(full, world, 'smoke', 'cpu'), evaluate_method(resumed, world, 'smoke', 'cpu')
    assert _same_metrics(ma, mb), {k: (ma[k], mb.get(k)) for k in ma if ma[k] != mb.get(k)}
    read = lambda d: [json.loads(l) for l in (tmp_path/d/'stats.jsonl').read_text().splitlines()]
    strip = lambda recs: [{k: v for k, v in r.items() if k != 'time'} for r in recs]
    assert strip(read('resumed')) == strip(read('full'))             # every step once, the same scalars

# --- the bookkeeping of resuming, on a tiny regression method (not registered: `fit` does not need it) ---

class _Slow(Method):
    "A linear regression whose every step takes at least `PAUSE` seconds."
    key = '_slow'
    def __init__(self, cfg=None, **kw): super().__init__(cfg, **kw); self.lin = nn.Linear(4, 1)
    def training_step(self, batch, step):
        time.sleep(PAUSE); return {'loss': (self.lin(batch['x']) - batch['y']).pow(2).mean()}

PAUSE = 0.05

def _data(step):
    x = torch.randn(8, 4, generator=torch.Generator().manual_seed(step)); return {'x': x, 'y': x.sum(1, keepdim=True)}

def _killed(d: Path, **cfg) -> _Slow:
    "A run of 6 steps in `d`, killed after step 3 (newest checkpoint: step 2)."
    fit(_Slow(MethodConfig(steps=6, **cfg)), _data, run_dir=d, ckpt_every=2, log_every=1, progress=False, max_steps_this_call=3)
    return _Slow(MethodConfig(steps=6, **cfg))

def test_seconds_add_up_over_resumed_calls(tmp_path):
    m = _killed(tmp_path)
    before = load_checkpoint(tmp_path)['extra']['seconds']
    assert before >= 2 * PAUSE                                                   # steps 0 and 1, in the first call
    r = fit(m, _data, run_dir=tmp_path, ckpt_every=2, log_every=1, progress=False)
    assert r['seconds_this_call'] >= 4 * PAUSE                                   # steps 2 to 5
    assert r['seconds'] == pytest.approx(before + r['seconds_this_call']) and r['seconds'] >= 6 * PAUSE
    assert load_checkpoint(tmp_path)['extra']['seconds'] <= r['seconds']
    times = [json.loads(l)['time'] for l in (tmp_path/'stats.jsonl').read_text().splitlines()]
    assert times == sorted(times) and times[-1] >= 6 * PAUSE                      # the log's clock goes on too

def test_stats_after_resume_hold_each_step_once(tmp_path):
    m = _killed(tmp_path)
    lines = (tmp_path/'stats.jsonl').read_text().splitlines()
    assert [json.loads(l)['step'] for l in lines] == [0, 1, 2]
    fit(m, _data, run_dir=tmp_path, ckpt_every=2, log_every=1, progress=False)
    after = (tmp_path/'stats.jsonl').read_text().splitlines()
    assert after[:2] == lines[:2]                                                # the lines before the checkpoint, untouched
    assert [json.loads(l)['step'] for l in after] == list(range(6))              # step 2 once, from the resumed call
    assert sorted(p.name for p in tmp_path.iterdir()) == ['ckpt.pt', 'stats.jsonl']

def test_stats_rewrite_is_atomic(tmp_path, monkeypatch):
    "A process dying while it rewrites stats.jsonl on resume leaves the old file whole."
    m = _killed(tmp_path)
    old = (tmp_path/'stats.jsonl').read_text()
    def die(*a): raise KeyboardInterrupt('killed')
    with monkeypatch.context() as mp:
        mp.setattr(os, 'replace', die)
        with pytest.raises(KeyboardInterrupt): fit(m, _data, run_dir=tmp_path, ckpt_every=2, log_every=1, progress=False)
    assert (tmp_path/'stats.jsonl').read_text() == old
    r = fit(_Slow(MethodConfig(steps=6)), _data, run_dir=tmp_path, ckpt_every=2, log_every=1, progress=False)
    assert r['done'] and [json.loads(l)['step'] for l in (tmp_path/'stats.jsonl').read_text().splitlines()] == list(range(6))

def test_check_resume_names_the_checkpoint_and_the_changed_fields(tmp_path):
    from partseg.train import check_resume
    check_resume(tmp_path/'none', _Slow(MethodConfig()))                           # no checkpoint: nothing to say
    assert not (tmp_path/'none').exists()
    _killed(tmp_path, lr=1e-3, n_parts=4)
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    check_resume(tmp_path, _Slow(MethodConfig(steps=6, lr=1e-3, n_parts=4)))        # the same config
    with pytest.raises(ValueError) as e: check_resume(str(tmp_path), _Slow(MethodConfig(steps=6, lr=1e-2, n_parts=4)))
    msg = str(e.value)
    assert str(tmp_path/'ckpt.pt') in msg and 'lr: 0.001 → 0.01' in msg and 'n_parts' not in msg
    assert 'use --force (command line) or resume=False (Python) to start over, or another run directory' in msg
    with pytest.raises(ValueError, match=r'res: 128 → 1.*, and 1 more'):
        check_resume(tmp_path, _Slow(MethodConfig(steps=1, lr=1, n_parts=1, res=1, batch_size=1)))
    other = type('_Other', (_Slow,), {'key': '_other'})
    with pytest.raises(ValueError, match="method '_slow', not '_other'"): check_resume(tmp_path, other(MethodConfig(steps=6, lr=1e-3, n_parts=4)))
    with pytest.raises(ValueError, match=r'lr: 0.001 → 0.01.*--force'):             # fit says the same, before writing anything
        fit(_Slow(MethodConfig(steps=6, lr=1e-2, n_parts=4)), _data, run_dir=tmp_path, progress=False)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == files
    fit(_Slow(MethodConfig(steps=6, lr=1e-2, n_parts=4)), _data, run_dir=tmp_path, progress=False, resume=False)   # starting over works
    check_resume(tmp_path, _Slow(MethodConfig(steps=6, lr=1e-2, n_parts=4)))
