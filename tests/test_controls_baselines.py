"Controls for ganseg2022, the baselines and the benchmark: a fixed grid sits on its floor (headroom 0), the ground-truth part map on its ceiling (headroom 1); parts are counted on the maps that are scored; the quick seeds fit the time budget."
import hashlib
import numpy as np, pandas as pd, pytest, torch
import torch.nn.functional as F
from partseg.evaluation import part_maps
from partseg.data.worlds import get_world
from partseg.methods import get_method
from partseg.methods.kpcrf import KeypointCRF, KeypointOracle
from partseg.metrics import parts_used
from partseg.registry import select
from partseg.tables import add_headroom, check

N = 16

class GTParts:
    "A method that returns the one-hot ground-truth part map of the world images it was shown (the ceiling, built to pass)."
    has_background = True
    def __init__(self, world):
        self.n_parts, self.table = len(world.part_names) - 1, {}
        for split in ('calib', 'test'):
            b = world.sample(list(range(N)), split)
            for img, p in zip(b['image'], torch.as_tensor(b['parts'])): self.table[self._key(img)] = p
    @staticmethod
    def _key(img): return hashlib.sha1(img.float().contiguous().numpy().tobytes()).hexdigest()
    def segment(self, images):
        return F.one_hot(torch.stack([self.table[self._key(i)] for i in images]), self.n_parts + 1).permute(0, 3, 1, 2).float()

@pytest.fixture(scope='module')
def world(): return get_world('puppets', res=32)

def _run(method, world):
    "One evaluated run as a `collect`-like row (the numbers of its metrics.json)."
    m = part_maps(method, world, n_calib=N, n_test=N)
    return pd.DataFrame([{k: v for k, v in m.items() if isinstance(v, (int, float))}])

@pytest.mark.parametrize('metric, higher', [('part_iou_calibrated', True), ('fg_iou', True), ('landmark_err', False)])
def test_a_fixed_grid_uses_no_headroom_and_the_gt_map_all(world, metric, higher):
    grid = _run(get_method('grid')(get_method('grid').Config.profile('smoke', n_parts=8)), world)
    assert grid['health/layout_agreement'].iloc[0] == 1.0                      # one segmentation for every image
    g = add_headroom(grid, metric, higher)
    assert g[metric].iloc[0] == pytest.approx(g[f'control/grid/{metric}'].iloc[0])   # the grid control is the same grid
    assert g[f'headroom/{metric}'].iloc[0] <= 1e-9                            # at (or below) its floor: nothing used
    oracle = add_headroom(_run(GTParts(world), world), metric, higher)
    assert oracle[metric].iloc[0] == pytest.approx(oracle[f'ceiling/{metric}'].iloc[0])
    assert oracle[f'headroom/{metric}'].iloc[0] == pytest.approx(1.0)
    assert oracle['health/layout_agreement'].iloc[0] < 0.95                   # the GT follows the image

def test_check_against_a_deterministic_floor_needs_seeds():
    assert check('beats floor', [0.30, 0.31, 0.29], 0.20)['verdict'] == 'holds'
    assert check('beats floor', [0.10, 0.11, 0.09], 0.20)['verdict'] == 'contradicted'
    assert check('beats floor', [0.30], 0.20)['verdict'] == 'inconclusive'     # one seed: no noise estimate

def test_crf_parts_are_counted_on_the_crf_output(world):
    "The CRF output a K-keypoint row is scored on has its own part count, bounded by the keypoints and unlike the base's heatmaps."
    kp = KeypointOracle(world, n=N, splits=('test',))
    b = world.sample(list(range(N)), 'test')
    crf = KeypointCRF(base=kp); crf.cfg = crf.cfg.replace(sigma=0.1)
    lab = crf.segment(b['image']).argmax(1)
    used = parts_used(lab, kp.n_parts + 1, skip=(0,))
    gt = parts_used(torch.as_tensor(b['parts']), len(world.part_names), skip=(0,))
    assert used.shape == gt.shape == (N,) and bool((used <= kp.n_parts).all())
    assert 0 < float(used.mean()) and 0 < float(gt.mean()) < len(world.part_names)

def test_the_compared_rows_have_three_quick_seeds():
    seeded = {e.key for e in select('ganseg2022') + select('baselines') if len(e.seeds_for('quick')) >= 3}
    assert {'baselines/scops-faces-wild-large-K8', 'baselines/imm-faces-wild-large-K8', 'baselines/lorenz2019-faces-wild-large-K8'} <= seeded
    assert {e.key for e in select('ganseg2022') if e.method == 'ganseg2022' and e.design_seeds('quick') != (0, 1, 2)} == set()
