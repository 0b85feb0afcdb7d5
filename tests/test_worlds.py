"Integration tests of partseg.data.worlds (fast: a few seconds)."
import math
import pytest
import torch
from partseg.data.worlds import WORLDS, WorldConfig, get_world, group_labels

@pytest.mark.parametrize('name', list(WORLDS))
def test_shapes_dtypes_ranges(name):
    w = get_world(name, res=32)
    b = w.sample(range(6), 'calib')
    assert b['image'].shape == (6, 3, 32, 32) and b['image'].dtype == torch.float32
    assert 0 <= b['image'].min() and b['image'].max() <= 1
    assert b['parts'].shape == (6, 32, 32) and b['parts'].dtype == torch.int64
    assert 0 <= b['parts'].min() and b['parts'].max() <= w.n_parts
    assert torch.equal(b['fg'], b['parts'] > 0) and b['fg'].any()
    assert b['keypoints'].shape == (6, w.n_keypoints, 2) and b['visible'].shape == (6, w.n_keypoints)
    assert b['pose'].shape == (6, w.n_pose) and b['appearance'].shape[0] == 6
    assert b['identity'].dtype == torch.int64 and b['species'].dtype == torch.int64
    assert w.part_names[0] == 'background' and list(w.groups)[0] == 'background' and w.groups['background'] == [0]
    assert sorted(sum(w.groups.values(), [])) == list(range(len(w.part_names)))
    assert group_labels(b['parts'], w).max() < len(w.groups)

@pytest.mark.parametrize('name', list(WORLDS))
def test_determinism(name):
    w = get_world(name, res=32)
    a, b = w.sample([3, 11, 40]), get_world(name, res=32).sample(torch.tensor([40, 3]))
    for k in a: assert torch.equal(a[k][[2, 0]].nan_to_num(-1), b[k].nan_to_num(-1)), k
    assert not torch.equal(w.sample([3], 'test')['image'], a['image'][:1])
    assert not torch.equal(get_world(name, seed=1, res=32).sample([3])['image'], a['image'][:1])

def test_video_and_triplets():
    w = get_world('puppets', res=32)
    c = w.clip([1, 2], T=3)
    assert c['image'].shape == (2, 3, 3, 32, 32) and (c['identity'] == c['identity'][:, :1]).all()
    assert torch.allclose(c['image'][:, 0], w.sample([1, 2])['image'], atol=1e-5)   # frame 0 = the single sample
    p = w.frame_pairs([0, 1], generator=torch.Generator().manual_seed(0), max_gap=4)
    assert {'image2', 'parts2', 'keypoints2', 'visible2'} <= set(p) and torch.equal(p['identity'], p['identity2'])
    b1, b2, b3 = w.triplets([0, 1])
    assert torch.equal(b1['appearance'], b2['appearance']) and torch.equal(b2['pose'], b3['pose'])

def test_errors():
    with pytest.raises(ValueError, match='valid choices: puppets, faces, birds'): get_world('people')
    with pytest.raises(ValueError, match='valid fields: res'): get_world('faces', resolution=32)
    with pytest.raises(ValueError, match='valid choices: train, calib, test'): get_world('faces').sample([0], 'val')
    with pytest.raises(ValueError, match='valid choices: aligned, wild'): get_world('birds', placement='center')
    with pytest.raises(ValueError, match='valid choices'): get_world('birds', species=(9,))

def test_light_is_off_by_default_and_belongs_to_the_pose_key():
    from partseg.data.worlds import get_world
    w0, w1 = get_world('puppets'), get_world('puppets', light=0.3)
    assert torch.equal(w0.sample(range(3))['image'], get_world('puppets', light=0.0).sample(range(3))['image'])
    b1, b2, b3 = w1.triplets(range(6))
    # x2 and x3 share the pose key, hence the illumination: their mean colour ratio varies less than x1's vs x2's
    r12 = (b1['image'].mean((2, 3)) / b2['image'].mean((2, 3))).log().std(1)
    assert not torch.equal(w1.sample(range(3))['image'], w0.sample(range(3))['image'])
    lat = w1.latents(range(6), t=[0.0] * 6); lat2 = w1.latents(range(6), t=[50.0] * 6)
    assert (lat['light'] - lat2['light']).abs().max() > 0.05 and torch.equal(lat['appearance'], lat2['appearance'])
    assert r12.isfinite().all()
