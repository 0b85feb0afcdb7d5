"""No finished run lost, no unfinished run counted, every bad input one clear line: the command line and the driver
under interruptions, bad values, bad files and failing runs."""
import functools, json, os
from pathlib import Path
import numpy as np
import pytest
import torch
from PIL import Image
import partseg.runs as runs_mod, partseg.batch as batch_mod, partseg.cli as cli_mod, partseg.registry as reg_mod, partseg.tables as tables_mod
from partseg.cli import main
from partseg.runs import run_dir, run_experiment, evaluate_run
from partseg.registry import get_experiment
from partseg.tables import collect
from partseg.batch import reproduce
from partseg.train import fit

GRID, CC = 'benchmark/grid-faces', 'benchmark/colorclusters-faces'

def _files(d: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())} if d.exists() else {}

def _interrupted(monkeypatch, key=CC, after=1):
    "Run `key` (smoke) as if killed after `after` steps: a checkpoint at that step, no final one."
    monkeypatch.setattr(runs_mod, 'fit', functools.partial(fit, max_steps_this_call=after))
    with pytest.raises(RuntimeError, match=f'stopped at step {after} of'): run_experiment(key, 'smoke', 0, ckpt_every=1, progress=False)
    monkeypatch.setattr(runs_mod, 'fit', fit)
    return run_dir(key, 'smoke', 0)

# 1. an interrupted run is never counted as finished
def test_evaluate_refuses_an_unfinished_run_and_train_finishes_it(root, capsys, monkeypatch):
    d = _interrupted(monkeypatch)
    assert (d/'ckpt.pt').exists() and not (d/'metrics.json').exists()
    assert main(['evaluate', str(d)]) == 2
    err = capsys.readouterr().err
    assert 'is not finished: its checkpoint is at step 1 of 3' in err and f'partseg train {CC} --profile smoke --seed 0' in err
    assert not (d/'metrics.json').exists()
    assert collect([get_experiment(CC)], 'smoke').query('seed == 0').status.item() == 'missing'
    m = evaluate_run(d, partial=True)                                     # asked for: written where nothing reads a result
    assert m['step'] == 1 and not (d/'metrics.json').exists()
    assert json.loads((d/'metrics.partial.json').read_text())['partial'] is True
    done = run_experiment(CC, 'smoke', 0, progress=False)                 # the same command resumes and finishes it
    assert done['step'] == done['steps'] == 3
    assert collect([get_experiment(CC)], 'smoke').query('seed == 0').status.item() == 'ok'
    assert main(['evaluate', str(d)]) == 0 and json.loads((d/'metrics.json').read_text())['step'] == 3

def test_a_metrics_file_below_the_configured_steps_is_not_a_result(root, monkeypatch):
    d = _interrupted(monkeypatch)
    (d/'metrics.json').write_text(json.dumps(dict(fg_iou=0.5, steps=1)))   # what an older `evaluate` left behind
    assert not runs_mod.is_finished(d)
    assert collect([get_experiment(CC)], 'smoke').query('seed == 0').status.item() == 'missing'
    assert run_experiment(CC, 'smoke', 0, progress=False)['step'] == 3      # trained on, not returned at step 1

# 2. --force checks every input before it deletes anything; a failure inside papermill is one line
@pytest.mark.skipif(torch.cuda.is_available(), reason='needs a machine without CUDA')
@pytest.mark.parametrize('notebook', [False, True])
def test_force_with_a_bad_device_deletes_nothing(root, capsys, notebook):
    assert main(['train', GRID, '--profile', 'smoke', '--no-notebook']) == 0
    d = run_dir(GRID, 'smoke', 0); before = _files(d)
    capsys.readouterr()
    assert main(['train', GRID, '--profile', 'smoke', '--force', '--device', 'cuda', *([] if notebook else ['--no-notebook'])]) == 2
    err = capsys.readouterr().err
    assert 'CUDA is not available' in err and 'Traceback' not in err
    assert _files(d) == before
    for f in (batch_mod.run_with_notebook, runs_mod.run_experiment):   # the Python API too
        with pytest.raises(ValueError, match='CUDA is not available'): f(GRID, 'smoke', 0, force=True, device='cuda')
    assert _files(d) == before

def test_an_error_inside_the_notebook_is_one_line(root, capfd, monkeypatch, tmp_path):
    nbs = tmp_path/'nbs'; (nbs/'experiments').mkdir(parents=True)
    cell = lambda src, **md: dict(cell_type='code', execution_count=None, id=f'c{len(src)}', metadata=md, outputs=[], source=src)
    nb = dict(cells=[cell("experiment = None\nprofile = None\nseed = None\ndevice = None\nthreads = None\nroot = None", tags=["parameters"]),
                     cell("def train():\n    raise ValueError('the world exploded\\nsecond line')\ntrain()")],
              metadata=dict(kernelspec=dict(name='python3', display_name='Python 3', language='python')), nbformat=4, nbformat_minor=5)
    (nbs/'experiments'/'train.ipynb').write_text(json.dumps(nb))
    monkeypatch.setattr(batch_mod, 'nbs_dir', lambda: nbs)
    assert main(['train', GRID, '--profile', 'smoke']) == 1
    out, err = capfd.readouterr()
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1, err
    assert 'ValueError: the world exploded' in lines[0] and str(run_dir(GRID, 'smoke', 0)/'train.ipynb') in lines[0]
    assert 'IPKernelApp' not in out + err and 'Traceback' not in err

# 5. every override is checked against its field's type and range before anything is written
@pytest.mark.parametrize('args, words', [
    (['--set', 'steps=-5'], ["steps=-5", "an integer in [0, ∞]"]),
    (['--set', 'steps=abc'], ["steps='abc'", "an integer"]),
    (['--set', 'n_parts=4.5'], ["n_parts=4.5", "an integer in [1, ∞]"]),
    (['--set', 'n_parts=0'], ["n_parts=0", "an integer in [1, ∞]"]),
    (['--set', 'lr=-1e-3'], ["lr=-0.001"]),
    (['--world-set', 'res=abc'], ["res='abc'"]),
    (['--seed', '-1'], ["--seed", "a seed ≥ 0, got -1"]),
    (['--device', 'nosuch'], ["--device", "unknown device 'nosuch'"]),
])
def test_bad_values_are_refused_by_name_before_anything_is_written(root, capsys, args, words):
    assert main(['train', '--method', 'colorclusters', '--world', 'faces', '--profile', 'smoke', '--no-notebook', *args]) == 2
    err = capsys.readouterr().err
    assert all(w in err for w in words), err
    assert 'Traceback' not in err and len(err.strip().splitlines()) == 1 and len(err) < 600
    assert not (root/'runs').exists()

def test_jobs_must_be_positive(root, capsys):
    assert main(['reproduce', '--profile', 'smoke', '--jobs', '0']) == 2
    assert 'a number of parallel runs ≥ 1, got 0' in capsys.readouterr().err

def test_every_option_has_help_with_its_default(capsys):
    for cmd in ('train', 'reproduce', 'evaluate', 'segment', 'list'):
        with pytest.raises(SystemExit): cli_mod._parser().parse_args([cmd, '--help'])
        h = ' '.join(capsys.readouterr().out.split())
        assert h.count('(default:') >= (3 if cmd in ('train', 'reproduce') else 0), (cmd, h)
        if cmd in ('train', 'reproduce'):
            assert 'DELETE' in h and '{smoke,quick,paper}' in h and '(default: quick)' in h

# 6. segment: bad images, names that collide, a bad --out, broken checkpoints
@pytest.fixture
def grid_run(root, capsys):
    assert main(['train', GRID, '--profile', 'smoke', '--no-notebook']) == 0
    capsys.readouterr()
    return run_dir(GRID, 'smoke', 0)

def test_segment_skips_a_huge_image_and_goes_on(grid_run, capsys, tmp_path):
    Image.new('1', (14000, 14000)).save(tmp_path/'huge.png')   # 196 Mpx: above PIL's decompression-bomb limit
    Image.new('RGB', (30, 20), (90, 120, 30)).save(tmp_path/'ok.png')
    assert main(['segment', '--checkpoint', str(grid_run), str(tmp_path/'huge.png'), str(tmp_path/'ok.png'), '--out', str(tmp_path/'o')]) == 1
    out = capsys.readouterr().out
    assert 'huge.png: 14000×14000 pixels is above the limit' in out and 'skipped 1' in out
    assert (tmp_path/'o'/'ok_parts.png').exists() and (tmp_path/'o'/'ok_overlay.png').exists()

def test_segment_reads_16_bit_grey_as_grey(grid_run, tmp_path):
    Image.fromarray(np.full((24, 24), 32768, np.uint16)).save(tmp_path/'g16.png')   # mid grey, 16 bit
    Image.fromarray(np.full((24, 24), 128, np.uint8)).save(tmp_path/'g8.png')       # the same grey, 8 bit
    assert main(['segment', '--checkpoint', str(grid_run), str(tmp_path/'g16.png'), str(tmp_path/'g8.png'), '--out', str(tmp_path/'o')]) == 0
    a, b = (np.asarray(Image.open(tmp_path/'o'/f'{n}_overlay.png')).astype(int) for n in ('g16', 'g8'))
    assert np.abs(a - b).max() <= 1   # not clipped to white

def test_segment_keeps_outputs_of_inputs_with_one_name_apart(grid_run, capsys, tmp_path):
    for sub, ext in (('a', 'jpg'), ('b', 'png'), ('c', 'png')):
        (tmp_path/sub).mkdir(); Image.new('RGB', (16, 16), (200, 10, 10)).save(tmp_path/sub/f'x.{ext}')
    o = tmp_path/'o'
    assert main(['segment', '--checkpoint', str(grid_run), *(str(tmp_path/s/f'x.{e}') for s, e in (('a', 'jpg'), ('b', 'png'), ('c', 'png'))), '--out', str(o)]) == 0
    assert 'wrote 6 file(s)' in capsys.readouterr().out
    assert len(list(o.iterdir())) == 6
    assert (o/'x.jpg_parts.png').exists() and (o/'b__x.png_parts.png').exists() and (o/'c__x.png_overlay.png').exists()

def test_segment_out_must_be_a_folder(grid_run, capsys, tmp_path):
    f = tmp_path/'taken.txt'; f.write_text('mine'); Image.new('RGB', (8, 8)).save(tmp_path/'x.png')
    assert main(['segment', '--checkpoint', str(grid_run), str(tmp_path/'x.png'), '--out', str(f)]) == 2
    assert '--out' in capsys.readouterr().err and f.read_text() == 'mine'

def test_segment_names_a_file_that_is_not_a_partseg_checkpoint(root, capsys, tmp_path):
    from argparse import Namespace
    Image.new('RGB', (8, 8)).save(tmp_path/'x.png')
    torch.save(dict(format='partseg-ckpt-1', config={}, step=0, model={}), tmp_path/'nomethod.pt')
    torch.save(Namespace(a=1), tmp_path/'pickled.pt')             # a pickle torch refuses to load weights-only
    for name, words in (('nomethod.pt', 'lacks method'), ('pickled.pt', 'is not a partseg checkpoint')):
        assert main(['segment', '--checkpoint', str(tmp_path/name), str(tmp_path/'x.png'), '--out', str(tmp_path/'o')]) == 2
        err = capsys.readouterr().err
        assert words in err and name in err and 'weights_only' not in err, err

# 7. paper profile: a configured data root without the data set is said, not silent
def test_paper_run_without_its_real_data_says_so(root, capsys, monkeypatch, tmp_path):
    (tmp_path/'data').mkdir(); monkeypatch.setenv('PARTSEG_DATA', str(tmp_path/'data'))
    w = runs_mod.make_world(get_experiment('braun2020/puppets-full'), 'paper', 'cpu')
    assert w.name == 'puppets'
    err = capsys.readouterr().err
    assert "$PARTSEG_DATA has no deepfashion/ (deepfashion): braun2020/puppets-full trains on the synthetic world 'puppets' instead" in err
    import pandas as pd
    runs = pd.DataFrame(dict(experiment=['braun2020/puppets-full'], seed=[0], status=['ok'], data=['synthetic:puppets'], device=['cpu']))
    p = tables_mod.write_table(pd.DataFrame(dict(a=[1])), pd.DataFrame(dict(a=[1])), 'braun2020', '_t', 'paper', 'T', 'synthetic', runs=runs)
    assert 'trained on a synthetic world although this profile uses a real data set for them (deepfashion)' in p.read_text()

# 8. options may come before the key; an unknown key suggests, not lists
def test_options_before_the_experiment_key(root, capsys):
    assert main(['train', '--profile', 'smoke', '--set', 'steps=1', CC, '--no-notebook']) == 0
    assert (run_dir(f'adhoc/{CC.replace("/", "_")}-steps=1', 'smoke', 0)/'metrics.json').exists()

def test_unknown_experiment_says_did_you_mean(root, capsys):
    assert main(['train', 'benchmark/colorcluster-faces', '--profile', 'smoke']) == 2
    err = capsys.readouterr().err
    assert 'did you mean benchmark/colorclusters-faces' in err and 'partseg list experiments' in err and len(err) < 400

# 9. a checkpoint of another config: refused with the CLI's way out, config.json untouched
def test_resuming_with_another_config_says_force_and_overwrites_nothing(root, capsys, monkeypatch):
    d = _interrupted(monkeypatch)
    before = _files(d)
    exp = get_experiment(CC)
    monkeypatch.setitem(reg_mod.REGISTRY, CC, reg_mod.Experiment(exp.key, exp.paper, exp.artifact, exp.method, exp.world, dict(n_parts=4), seeds=exp.seeds))
    capsys.readouterr()
    assert main(['train', CC, '--profile', 'smoke', '--no-notebook']) == 2
    err = capsys.readouterr().err
    assert '--force' in err and 'n_parts' in err and 'resume=False' not in err.split('--force')[0][-200:]
    assert _files(d) == before

# 10. reproduce: one line per failed run, and the list again at the end
def test_reproduce_lists_each_failed_run_in_one_line_and_again_at_the_end(root, monkeypatch):
    def boom(key, profile, seed, *a, **k):
        raise RuntimeError('the loss went sideways\n' + 'def train(...):\n' + 'x' * 800)
    monkeypatch.setattr(batch_mod, 'run_experiment', boom)
    log = []
    assert not reproduce('smoke', only=GRID, notebook=False, figures=False, log=log.append)
    fails = [l for l in log if 'FAILED' in l]
    assert len(fails) == 6, log    # 3 seeds while running, the same 3 in the summary
    for s in (0, 1, 2):
        mine = [l for l in fails if f'{GRID} seed {s}:' in l]
        assert len(mine) == 2 and all('RuntimeError: the loss went sideways' in l and 'xxx' not in l
                                      and str(run_dir(GRID, 'smoke', s)) in l for l in mine), mine
    assert log.index(fails[-1]) > log.index(next(l for l in log if 'run(s) succeeded' in l))
