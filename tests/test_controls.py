"Controls: each floor, ceiling and the code-shuffle control on a model constructed to sit exactly on it, or to fail it."
import math
import pytest
import torch
import torch.nn.functional as F
from partseg.methods import Method, get_method
from partseg.metrics import evaluate
from partseg.controls import code_shuffle, headroom
from partseg.runs import health_warning
from partseg.data.worlds import get_world

ALL = ('landmarks', 'fg_iou', 'part_iou', 'hungarian', 'health', 'controls')
KEYS = ('landmark_err', 'landmark_mae_sum', 'fg_iou', 'part_iou_calibrated', 'part_iou_hungarian')

@pytest.fixture(scope='module')
def world(): return get_world('puppets', res=32)

def _eval(method, world, **kw): return evaluate(method, world, n_calib=48, n_test=32, batch_size=16, metrics=ALL, **kw)

class GroundTruth(Method):
    "A segmenter that looks the answer up: the world's GT part map of each image (found by its pixels), one-hot."
    key = '_ground_truth'
    def __init__(self, world):
        super().__init__(n_parts=len(world.part_names) - 1); self.world = world
    def segment(self, images):
        for split in ('calib', 'test'):
            b = self.world.sample(list(range(48)), split)
            idx = [next((i for i in range(48) if torch.equal(b['image'][i], x)), None) for x in images]
            if all(i is not None for i in idx): return F.one_hot(b['parts'][idx], self.n_parts + 1).permute(0, 3, 1, 2).float()
        raise AssertionError('image not found')

def test_the_floors_are_the_trivial_baselines_on_the_same_images(world):
    "control/grid/* of any K-part run is what the `grid` method with K parts scores; control/center/* what `center` scores."
    grid = _eval(get_method('grid')(n_parts=4, res=32), world)
    center = _eval(get_method('center')(n_parts=1, res=32), world)
    for k in KEYS:
        assert math.isclose(grid[f'control/grid/{k}'], grid[k], rel_tol=1e-9, abs_tol=1e-12), k
        assert math.isclose(grid[f'control/center/{k}'], center[k], rel_tol=1e-9, abs_tol=1e-12), k
        assert headroom(grid[k], grid[f'control/grid/{k}'], grid[f'control/oracle/{k}']) == 0
    assert grid['health/layout_agreement'] == 1.0 and health_warning(grid)   # a fixed layout: flagged

def test_the_ceiling_is_the_ground_truth_through_the_same_protocol(world):
    "A segmenter that returns the GT part map scores exactly control/oracle/*; headroom 1."
    gt = _eval(GroundTruth(world), world)
    for k in KEYS:
        assert math.isclose(gt[f'control/oracle/{k}'], gt[k], rel_tol=1e-9, abs_tol=1e-12), k
    assert gt['fg_iou'] > 0.99 and gt['part_iou_calibrated'] > 0.99 and gt['part_iou_hungarian'] > 0.99
    assert gt['health/layout_agreement'] < 0.95 and health_warning(gt) is None
    assert headroom(gt['part_iou_calibrated'], gt['control/grid/part_iou_calibrated'], gt['control/oracle/part_iou_calibrated']) == 1

class ConstantDecoder(Method):
    "A 'decoder' whose output is one learnt image, whatever the shape code: constant output."
    key, pairing = '_constant_decoder', 'tps'
    def __init__(self): super().__init__(); self.out = torch.nn.Parameter(torch.full((3, 1, 1), 0.5))
    def segment(self, images): return torch.ones(len(images), self.n_parts + 1, *images.shape[-2:]).softmax(1)
    def recon_errors(self, b, perm):
        err = lambda: (self.out.expand_as(b['image2']) - b['image2']).abs().mean((1, 2, 3))
        return dict(model=err(), shuffled=err(), copy=(b['image'] - b['image2']).abs().mean((1, 2, 3)))

class CodeDecoder(ConstantDecoder):
    "A decoder that paints the shape image's mean colour: it uses the code."
    def recon_errors(self, b, perm):
        x, y = b['image2'], b['image2'].mean((2, 3), keepdim=True)
        err = lambda c: (c.expand_as(x) - x).abs().mean((1, 2, 3))
        return dict(model=err(y), shuffled=err(y[perm]), copy=(b['image'] - x).abs().mean((1, 2, 3)))

def test_a_constant_output_model_gets_layout_agreement_one_and_shuffle_gap_zero(world):
    m = ConstantDecoder()
    h = evaluate(m, world, 16, 32, metrics=('health',))
    s = code_shuffle(m, world, n_test=64, batch_size=16)
    assert h['health/layout_agreement'] == 1.0
    assert s['health/shuffle_gap'] == 0 and s['health/shuffle_used'] == 0 and s['health/shuffle_n'] == 64
    w = health_warning({**h, **s})
    assert 'layout agreement 1.000' in w and 'shuffle gap 0' in w and 'does not use it' in w
    used = code_shuffle(CodeDecoder(), world, n_test=64, batch_size=16)
    assert used['health/shuffle_used'] == 1 and used['health/shuffle_gap_lo'] > 0
    assert health_warning(used) is None
