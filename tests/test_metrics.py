"Integration checks of partseg.metrics: perfect predictions score perfectly, random ones worse, edge cases behave."
import math
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from partseg.metrics import (PROTOCOLS, calibrated_part_iou, evaluate, fg_iou, fit_part_mapping, hungarian_part_iou,
                             landmark_errors, landmark_regression, part_centers, pck)


def blob_labels(n=6, res=24, n_parts=4, seed=0):
    "Random label images: each image a few random rectangles of parts 1..n_parts on background 0."
    g = np.random.default_rng(seed)
    lab = np.zeros((n, res, res), np.int64)
    for i in range(n):
        for p in range(1, n_parts + 1):
            x, y = g.integers(0, res - 6, 2)
            w, h = g.integers(3, 7, 2)
            lab[i, y:y + h, x:x + w] = p
    return lab


def one_hot_maps(lab, n):
    return F.one_hot(torch.as_tensor(lab), n).permute(0, 3, 1, 2).float()


def test_perfect_segmentation_scores_one():
    gt = blob_labels()
    perm = np.array([0, 3, 1, 4, 2])[gt]                       # the same segmentation, parts relabelled
    assert fg_iou(one_hot_maps(perm, 5), gt > 0)['mean'] == pytest.approx(1, abs=1e-5)
    mapping = fit_part_mapping(perm, gt, 5, 5)
    assert list(mapping) == [0, 2, 4, 1, 3]
    assert calibrated_part_iou(perm, gt, mapping, 5)['mean'] == pytest.approx(1)
    assert hungarian_part_iou(perm, gt, 5, 5)['mean'] == pytest.approx(1)


def test_random_segmentation_scores_worse():
    gt = blob_labels()
    rnd = np.random.default_rng(1).integers(0, 5, gt.shape)
    assert fg_iou(rnd, gt > 0)['mean'] < 0.7
    m = fit_part_mapping(rnd, gt, 5, 5)
    assert calibrated_part_iou(rnd, gt, m, 5)['mean'] < 0.5
    assert hungarian_part_iou(rnd, gt, 5, 5)['mean'] < 0.3


def test_many_to_one_beats_one_to_one_on_split_parts():
    gt = blob_labels(n_parts=2)
    split = gt.copy()
    split[:, :, ::2][gt[:, :, ::2] == 1] = 3                  # part 1 split into labels 1 and 3 (alternate columns)
    m = fit_part_mapping(split, gt, 4, 3)
    assert list(m) == [0, 1, 2, 1]
    assert calibrated_part_iou(split, gt, m, 3)['mean'] == pytest.approx(1)
    assert hungarian_part_iou(split, gt, 4, 3)['mean'] < 0.9


def test_landmark_regression_perfect_and_random():
    g = np.random.default_rng(0)
    X = g.uniform(0, 64, (80, 5, 2))
    A = g.normal(size=(10, 8))
    Y = (X.reshape(80, -1) @ A).reshape(80, 4, 2) + 3.0
    for name in ('partseg', 'siarohin2020', 'scops'):
        p = PROTOCOLS[name]
        norm = None if p['norm'] in ('world', 'bbox') else p['norm']
        r = landmark_regression(X[:60], Y[:60], X[60:], Y[60:], bias=p['bias'], norm=norm, reduce=p['reduce'],
                                standardize=p['standardize'])
        assert r['error'] == pytest.approx(0, abs=1e-6), name
    r_rand = landmark_regression(g.uniform(0, 64, (60, 5, 2)), Y[:60], g.uniform(0, 64, (20, 5, 2)), Y[60:])
    assert r_rand['error'] > 0.1


def test_centres_of_one_hot_parts():
    lab = blob_labels(n=2, n_parts=3)
    c = part_centers(one_hot_maps(lab, 4), eps=0.0)
    ys, xs = np.nonzero(lab[1] == 2)
    assert c[1, 1].tolist() == pytest.approx([xs.mean(), ys.mean()], abs=1e-4)


def test_edge_cases_empty_and_nan():
    z = torch.zeros(2, 8, 8, dtype=torch.long)
    assert fg_iou(z, z.bool())['mean'] == 0.0                      # empty prediction and GT: 0, no error
    assert calibrated_part_iou(z, z, [0, 0], 2)['per_label']['0'] == pytest.approx(1)
    assert math.isnan(calibrated_part_iou(z, z, [0, 0], 2)['mean'])   # no foreground label present anywhere
    nan = np.full((3, 5, 2), np.nan)
    r = landmark_errors(np.zeros((3, 5, 2)), nan, norm=None)
    assert math.isnan(r['error']) and r['n'] == 0
    assert math.isnan(landmark_errors(np.zeros((3, 5, 2)), nan, norm=None, reduce='sum_mae')['error'])
    p = pck(np.zeros((3, 5, 2)), nan, image_size=8)
    assert math.isnan(p['pck']) and p['n'] == 0
    X = np.random.default_rng(0).uniform(size=(10, 2, 2))
    Y = np.random.default_rng(1).uniform(size=(10, 3, 2))
    Y[:, 2] = np.nan                                               # a landmark never annotated
    r = landmark_regression(X, Y, X, Y, norm=None)
    assert np.isfinite(r['error']) and math.isnan(r['per_landmark'][2])


def test_shape_errors_name_the_argument():
    with pytest.raises(ValueError, match='pred labels and fg'):
        fg_iou(torch.zeros(2, 8, 8, dtype=torch.long), torch.zeros(2, 8, 7, dtype=torch.bool))
    with pytest.raises(ValueError, match='X_test and Y_test'):
        landmark_regression(np.zeros((4, 2, 2)), np.zeros((4, 3, 2)), np.zeros((5, 2, 2)), np.zeros((4, 3, 2)))
    with pytest.raises(ValueError, match='maps must be'):
        part_centers(torch.zeros(3, 8, 8))
    with pytest.raises(ValueError, match='pred_kp and gt_kp'):
        pck(np.zeros((2, 3, 2)), np.zeros((2, 4, 2)), image_size=8)
    with pytest.raises(ValueError, match='gt labels must lie'):
        hungarian_part_iou(np.zeros((1, 4, 4), np.int64), np.full((1, 4, 4), 3), 2, 3)


class _FakeWorld:
    "The contract's World attributes on a toy: a random box whose left / right halves are parts 1 / 2."
    name, part_names, keypoint_names, n_keypoints = 'faces', ['background', 'left', 'right'], ['l', 'r'], 2
    groups = {'background': [0], 'left': [1], 'right': [2]}

    def sample(self, idx, split='train'):
        labs = []
        for i in idx:
            g = np.random.default_rng([('train', 'calib', 'test').index(split), int(i)])
            x0, y0 = g.integers(0, 8, 2)
            w, h = 2 * g.integers(2, 5), g.integers(3, 8)
            lab = np.zeros((16, 16), np.int64)
            lab[y0:y0 + h, x0:x0 + w // 2] = 1
            lab[y0:y0 + h, x0 + w // 2:x0 + w] = 2
            labs.append(lab)
        parts = torch.as_tensor(np.stack(labs))
        img = torch.stack([(parts > 0).float(), (parts == 2).float(), torch.zeros(parts.shape)], 1)
        kp = part_centers(one_hot_maps(parts, 3), eps=0.0)
        return dict(image=img, parts=parts, fg=parts > 0, keypoints=kp, visible=torch.ones(kp.shape[:2], dtype=torch.bool))


class _Oracle(torch.nn.Module):
    n_parts = 2

    def segment(self, images):
        fg, right = images[:, 0], images[:, 1]
        return torch.stack([1 - fg, fg * (1 - right), fg * right], 1)


class _Random(_Oracle):
    def segment(self, images):
        return torch.rand(len(images), 3, *images.shape[-2:]).softmax(1)


def test_evaluate_oracle_and_random():
    w = _FakeWorld()
    good = evaluate(_Oracle(), w, n_calib=32, n_test=16, batch_size=16)
    for k in ('fg_iou', 'part_iou_calibrated', 'part_iou_hungarian', 'part_iou/left', 'part_iou/right'):
        assert good[k] == pytest.approx(1, abs=1e-5), k
    assert good['landmark_err'] == pytest.approx(0, abs=1e-5) and good['landmark_norm'] == 'iod'
    bad = evaluate(_Random(), w, n_calib=32, n_test=16, batch_size=16)
    for k in ('fg_iou', 'part_iou_calibrated', 'part_iou_hungarian'):
        assert bad[k] < good[k] - 0.3, k
    assert bad['landmark_err'] > 0.05


def test_evaluate_on_a_real_world():
    worlds = pytest.importorskip('partseg.data.worlds')
    w = worlds.get_world('puppets', seed=0)

    class Blobs(torch.nn.Module):
        n_parts = 4

        def segment(self, images):
            B, _, H, W = images.shape
            m = torch.zeros(B, 5, H, W)
            m[:, 0] = 1
            for k, (ys, xs) in enumerate([(slice(0, H // 2), slice(0, W // 2)), (slice(0, H // 2), slice(W // 2, W)),
                                          (slice(H // 2, H), slice(0, W // 2)), (slice(H // 2, H), slice(W // 2, W))]):
                m[:, k + 1, ys, xs], m[:, 0, ys, xs] = 0.6, 0.4
            return m

    r = evaluate(Blobs(), w, n_calib=16, n_test=8, batch_size=8)
    assert 0 <= r['fg_iou'] <= 1 and 0 <= r['part_iou_calibrated'] <= 1 and 0 <= r['part_iou_hungarian'] <= 1
    assert np.isfinite(r['landmark_err'])
