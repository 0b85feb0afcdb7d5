"""The `partseg` command line end to end on the smoke profile: train, evaluate, segment, and bad input."""
import json, subprocess, sys
from pathlib import Path
import numpy as np
import pytest
from PIL import Image
from partseg.cli import main
from partseg.runs import run_dir

def _train_grid(capsys):
    assert main(['train', 'benchmark/grid-faces', '--profile', 'smoke', '--no-notebook']) == 0
    return run_dir('benchmark/grid-faces', 'smoke', 0)

def test_train_evaluate_segment(root, capsys, tmp_path):
    d = _train_grid(capsys)
    for f in ('config.json', 'ckpt.pt', 'metrics.json', 'stats.jsonl'): assert (d/f).exists(), f
    cfg = json.loads((d/'config.json').read_text())
    assert cfg['profile'] == 'smoke' and 'sha' in cfg['provenance']['git'] and cfg['provenance']['versions']['torch']
    m = json.loads((d/'metrics.json').read_text())
    assert 0 <= m['fg_iou'] <= 1 and 0 <= m['part_iou_calibrated'] <= 1
    capsys.readouterr()
    assert main(['evaluate', str(d)]) == 0
    assert 'fg_iou' in json.loads(capsys.readouterr().out)
    # segment: one good image, one missing, one that is not an image -> the good one is written, the others named
    good = tmp_path/'face.png'; Image.fromarray((np.random.rand(50, 40, 3) * 255).astype(np.uint8)).save(good)
    bad = tmp_path/'notes.png'; bad.write_text('not an image')
    out = tmp_path/'seg'
    rc = main(['segment', '--checkpoint', str(d), str(good), str(tmp_path/'missing.jpg'), str(bad), '--out', str(out)])
    io = capsys.readouterr().out
    assert rc == 1
    assert 'missing.jpg' in io and 'notes.png' in io and 'skipped 2' in io
    lab = np.asarray(Image.open(out/'face_parts.png'))
    assert lab.shape == (50, 40) and lab.max() <= 8
    assert Image.open(out/'face_overlay.png').size == (40, 50)

def test_bad_names_list_the_valid_choices(root, capsys):
    assert main(['train', '--method', 'nope', '--world', 'faces', '--profile', 'smoke']) == 2
    assert 'colorclusters' in capsys.readouterr().err
    assert main(['train', '--method', 'grid', '--world', 'mars', '--profile', 'smoke']) == 2
    assert 'puppets' in capsys.readouterr().err
    assert main(['reproduce', '--profile', 'fast']) == 2
    assert "invalid choice: 'fast'" in capsys.readouterr().err
    assert main(['train', '--method', 'grid', '--world', 'faces', '--set', 'n_part=3', '--profile', 'smoke']) == 2
    assert 'valid fields' in capsys.readouterr().err

def test_bad_checkpoints_say_what_was_expected(root, capsys, tmp_path):
    d = _train_grid(capsys); metrics = (d/'metrics.json').read_text()
    junk = tmp_path/'junk.pt'; junk.write_bytes(b'\x00garbage')
    img = tmp_path/'x.png'; Image.new('RGB', (8, 8)).save(img)
    capsys.readouterr()
    assert main(['segment', '--checkpoint', str(junk), str(img), '--out', str(tmp_path/'o')]) == 2
    assert 'is not a partseg checkpoint' in capsys.readouterr().err
    assert main(['segment', '--checkpoint', str(tmp_path/'nowhere'), str(img), '--out', str(tmp_path/'o')]) == 2
    assert 'expected a run directory holding ckpt.pt' in capsys.readouterr().err
    assert (d/'metrics.json').read_text() == metrics   # nothing lost

def test_python_dash_m_entry_point(root):
    r = subprocess.run([sys.executable, '-m', 'partseg', 'list', 'worlds'], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.split() == ['birds', 'faces', 'puppets']

def test_set_is_repeatable():
    "`--set a=1 --set b=2` keeps both overrides (an earlier version kept only the last one)."
    from partseg.cli import _parser, _parse_set
    a = _parser().parse_args(['train', '--method', 'esser2019', '--world', 'puppets', '--set', 'a=1', '--set', 'b=2', 'c=3',
                              '--world-set', 'res=32', '--world-set', 'clutter=0'])
    assert _parse_set(a.set) == dict(a=1, b=2, c=3)
    assert _parse_set(a.world_set) == dict(res=32, clutter=0)

def test_set_on_a_registered_experiment_trains_a_separate_variant(root, capsys):
    "`train KEY --set steps=3` applies the override (an earlier version ignored it) and keeps the registry's run untouched."
    assert main(['train', 'braun2020/puppets-full', '--profile', 'smoke', '--set', 'steps=3']) == 0
    d = run_dir('adhoc/braun2020_puppets-full-steps=3', 'smoke', 0)
    c = json.loads((d/'config.json').read_text())
    assert c['config']['steps'] == 3 and c['config']['n_parts'] == 25 and c['experiment']['paper'] == 'braun2020'   # the rest as registered
    assert not run_dir('braun2020/puppets-full', 'smoke', 0).exists()
    from partseg.registry import get_experiment, real_key
    assert main(['train', 'baselines/imm-puppets-K25', '--profile', 'smoke', '--set', 'steps=2']) == 0
    assert real_key(get_experiment('adhoc/baselines_imm-puppets-K25-steps=2')) == real_key(get_experiment('baselines/imm-puppets-K25')) == 'deepfashion'

def test_a_variant_of_a_fine_tune_fine_tunes_from_the_same_base(root, capsys):
    "`train ROW --set ...` on a row that fine-tunes from a base run starts from that base (an earlier version trained the variant from scratch)."
    assert main(['train', 'siarohin2020/puppets-full', '--profile', 'smoke', '--set', 'steps=2']) == 2   # the base is not trained yet: refused in one line, by name
    assert 'siarohin2020/puppets-base' in capsys.readouterr().err
    assert main(['train', 'siarohin2020/puppets-full', '--profile', 'smoke', '--set', 'steps=2', '--from-scratch']) == 0   # asked for: no base needed
    c = json.loads((run_dir('adhoc/siarohin2020_puppets-full-steps=2-from-scratch', 'smoke', 0)/'config.json').read_text())
    assert 'init_run' not in c['run_info']
    assert main(['train', 'siarohin2020/puppets-base', '--profile', 'smoke', '--no-notebook']) == 0
    assert main(['train', 'siarohin2020/puppets-full', '--profile', 'smoke', '--set', 'steps=2']) == 0
    c = json.loads((run_dir('adhoc/siarohin2020_puppets-full-steps=2', 'smoke', 0)/'config.json').read_text())
    assert c['run_info']['init_run']['run'] == 'siarohin2020/puppets-base' and c['run_info']['init_run']['loaded'] > 0

def test_reproduce_plan_lists_and_estimates_without_training(root, capsys):
    "`reproduce --plan` says what the batch would train and for how long on the reference CPU, and trains nothing."
    assert main(['reproduce', '--plan', '--only', 'benchmark/grid-faces', '--no-figures']) == 0
    out = capsys.readouterr().out
    assert '3 run(s) to train, 0 already finished' in out and 'benchmark/grid-faces: seeds 0, 1, 2' in out
    assert 'estimated wall time: ≈ 1 min with --jobs 2' in out   # 3 runs of 0.5 min on two workers
    assert not (root/'runs').exists()
    assert main(['reproduce', '--plan', '--profile', 'smoke', '--only', 'benchmark/grid-faces']) == 0
    assert 'no time estimate for the smoke profile' in capsys.readouterr().out
