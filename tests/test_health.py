"Learning health and claim judgement: each measure on a model built to fail it, and on one built to pass it."
import numpy as np
import torch
from partseg.cli import main
from partseg.metrics import layout_agreement, parts_used, foreground_share
from partseg.runs import run_dir
from partseg.core import load_json
from partseg.tables import judge
from partseg.data.worlds import get_world

def test_a_constant_output_run_has_layout_agreement_one_and_is_warned_about(root, capsys):
    assert main(['train', 'benchmark/center-faces', '--profile', 'smoke', '--no-notebook']) == 0
    err = capsys.readouterr().err
    m = load_json(run_dir('benchmark/center-faces', 'smoke', 0)/'metrics.json')
    assert m['health/layout_agreement'] == 1.0 and 'warning: layout agreement 1.000' in err
    assert m['health/parts_used'] <= 1 and m['health/parts_used_gt'] > 1      # one blob against the face's parts

def test_the_ground_truth_follows_the_image():
    b = get_world('puppets', res=32).sample(list(range(32)), 'test')
    gt = torch.as_tensor(b['parts'])
    assert layout_agreement(gt) < 0.95
    assert layout_agreement(gt[:1].expand(32, -1, -1)) == 1.0                # the first image's map for every image
    assert float(parts_used(gt, int(gt.max()) + 1, skip=(0,)).mean()) > 2
    np.testing.assert_allclose(foreground_share(gt).numpy(), (gt > 0).float().mean((1, 2)).numpy())

def test_judge_needs_noise_to_call_a_claim():
    assert judge([0.70, 0.71, 0.69], [0.60, 0.61, 0.59])['verdict'] == 'holds'
    assert judge([0.60, 0.61, 0.59], [0.70, 0.71, 0.69])['verdict'] == 'contradicted'
    assert judge([0.682], [0.644])['verdict'] == 'inconclusive'                # one training each: no noise estimate
    assert judge([0.682, 0.644], [0.66, 0.67])['verdict'] == 'inconclusive'    # two trainings that straddle the other row
