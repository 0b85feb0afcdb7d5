"Fast checks of partseg.data.pairs: deterministic batch sources, keypoints that follow the warps, pair keys."
import pytest
import torch
from partseg.core import step_seed
from partseg.data.pairs import (PAIRINGS, BatchSource, PairConfig, affine_pair, make_source, points_to_first,
                                points_to_second, tps_pair, warp_to_second)


class ToyWorld:
    "A tiny deterministic world following the World contract (two rectangles as parts, three keypoints)."
    name, part_names, keypoint_names, n_keypoints = 'toy', ['background', 'a', 'b'], ['ca', 'cb', 'corner'], 3

    def __init__(self, res=24, seed=0, device='cpu'): self.res, self.seed, self.device = res, seed, device

    def sample(self, idx, split='train'):
        R = self.res; ys, xs = torch.meshgrid(torch.arange(R), torch.arange(R), indexing='ij')
        imgs, parts, kps = [], [], []
        for i in [int(j) for j in idx]:
            g = torch.Generator().manual_seed(step_seed(self.seed, i, ('train', 'calib', 'test').index(split)))
            x0, y0, x1, y1 = (torch.rand(4, generator=g) * R * 0.4 + R * 0.1).round().tolist()
            p = torch.zeros(R, R, dtype=torch.long)
            p[(xs >= x0) & (xs < x0 + 5) & (ys >= y0) & (ys < y0 + 5)] = 1
            p[(xs >= x1 + 3) & (xs < x1 + 9) & (ys >= y1 + 3) & (ys < y1 + 9)] = 2
            imgs.append(torch.tensor([[.2, .3, .4], [.9, .3, .1], [.1, .8, .3]])[p].permute(2, 0, 1))
            parts.append(p); kps.append(torch.tensor([[x0 + 2, y0 + 2], [x1 + 5.5, y1 + 5.5], [x1 + 3, y1 + 3]]))
        b = dict(image=torch.stack(imgs), parts=torch.stack(parts), keypoints=torch.stack(kps))
        b['fg'] = b['parts'] > 0; b['visible'] = torch.ones(len(imgs), 3, dtype=torch.bool)
        return b


def _same(a, b): return torch.equal(a.nan_to_num(-1), b.nan_to_num(-1))


@pytest.mark.parametrize('pairing', ['single', 'tps', 'affine'])
def test_batch_source_deterministic(pairing):
    src = BatchSource(ToyWorld(), pairing, batch_size=4, seed=3, pair_cfg='scops')
    b1, b2 = src(5), BatchSource(ToyWorld(), pairing, batch_size=4, seed=3, pair_cfg='scops')(5)
    assert b1.keys() == b2.keys()
    for k, v in b1.items():
        if isinstance(v, torch.Tensor): assert _same(v, b2[k]), k
    assert not torch.equal(src.indices(5), src.indices(6))
    assert not torch.equal(src.indices(5), BatchSource(ToyWorld(), pairing, 4, seed=4).indices(5))


def _dots(kp, H, W, s=1.0):
    ys, xs = torch.meshgrid(torch.arange(H).float(), torch.arange(W).float(), indexing='ij')
    return torch.exp(-((xs - kp[..., 0, None, None]) ** 2 + (ys - kp[..., 1, None, None]) ** 2) / (2 * s * s))


@pytest.mark.parametrize('fn', [tps_pair, affine_pair])
@pytest.mark.parametrize('preset', ['liu2021', 'siarohin2020', 'scops'])
def test_keypoints_follow_warp(fn, preset):
    H = W = 48; g = torch.Generator().manual_seed(0)
    kp = torch.rand(6, 4, 2, generator=g) * 24 + 12
    p = fn(dict(image=_dots(kp, H, W), keypoints=kp), PairConfig.preset(preset), g)
    k2 = p['keypoints2']; ok = ~k2.isnan().any(-1) & (k2.min(-1).values > 4) & (k2.max(-1).values < W - 5)
    assert ok.float().mean() > 0.3
    ys, xs = torch.meshgrid(torch.arange(H).float(), torch.arange(W).float(), indexing='ij')
    m = p['image2'] / p['image2'].sum((-2, -1), keepdim=True)
    c = torch.stack([(m * xs).sum((-2, -1)), (m * ys).sum((-2, -1))], -1)
    assert (c - k2).norm(dim=-1)[ok].max() < 1.0
    back = points_to_first(points_to_second(kp, p), p)
    assert torch.allclose(back, kp, atol=1e-2)


@pytest.mark.parametrize('fn', [tps_pair, affine_pair])
def test_identity_and_keys(fn):
    b = ToyWorld().sample(range(3))
    p = fn(b, 'identity', torch.Generator().manual_seed(0))
    assert {'image2', 'parts2', 'fg2', 'keypoints2', 'visible2'} <= set(p)
    assert ('tps' if fn is tps_pair else 'affine') in p
    assert torch.allclose(p['image2'], b['image'], atol=1e-4) and torch.equal(p['parts2'], b['parts'])
    assert torch.allclose(p['keypoints2'], b['keypoints'], atol=1e-3)
    q = fn(b, 'scops', torch.Generator().manual_seed(1))
    assert q['parts2'].dtype == torch.long and q['fg2'].dtype == torch.bool
    assert torch.equal(warp_to_second(b['parts'], q), q['parts2'])


def test_unknown_pairing():
    assert PAIRINGS == ('single', 'tps', 'affine', 'video')
    with pytest.raises(ValueError, match='valid choices: single, tps, affine, video'): BatchSource(ToyWorld(), 'pair')
    with pytest.raises(ValueError, match='valid choices: single, tps, affine, video'): make_source(ToyWorld(), 'tsp')


@pytest.mark.parametrize('pairing', ['tps', 'affine', 'video'])
def test_world_pairs(pairing):
    worlds = pytest.importorskip('partseg.data.worlds')
    name = 'faces' if 'faces' in worlds.WORLDS else next(iter(worlds.WORLDS))
    b = make_source(name, pairing, 3, seed=1)(2)
    assert {'image', 'image2', 'parts', 'parts2', 'fg2', 'keypoints2'} <= set(b)
    assert b['image2'].shape == b['image'].shape and b['parts2'].dtype == torch.int64
    assert _same(b['image2'], make_source(name, pairing, 3, seed=1)(2)['image2'])
