"Real data sets (issue 9, first part): CUB-200-2011 and CelebA/MAFL loaders on fixture trees in the official layouts."
import os
import numpy as np, pytest, torch
from partseg.data.real import CUB, CelebA, DataNotFound, make_cub_fixture, make_celeba_fixture, data_root
from partseg.metrics import evaluate

def test_missing_root_names_the_environment_variable_and_the_layout(monkeypatch, tmp_path):
    monkeypatch.delenv('PARTSEG_DATA', raising=False)
    with pytest.raises(DataNotFound, match=r'\$PARTSEG_DATA \(not set\)[\s\S]*images.txt'): CUB()
    monkeypatch.setenv('PARTSEG_DATA', str(tmp_path))
    with pytest.raises(DataNotFound, match='celeba'): CelebA()
    make_celeba_fixture(tmp_path)
    assert CelebA().n('test') == 2                              # found through $PARTSEG_DATA/celeba

def test_cub_batches_follow_design_section_2(tmp_path):
    cub = CUB(make_cub_fixture(tmp_path, n=6), 'test', res=32)
    b = cub.sample(range(len(cub)))
    assert b['image'].shape == (3, 3, 32, 32) and b['image'].dtype == torch.float32 and 0 <= b['image'].min() <= b['image'].max() <= 1
    assert b['fg'].dtype == torch.bool and b['parts'].dtype == torch.int64 and b['keypoints'].shape == (3, 15, 2)
    assert torch.equal(b['visible'], torch.isfinite(b['keypoints']).all(-1))
    torch.testing.assert_close(b['keypoints'][:, 1], torch.full((3, 2), 10.5 * 32 / 20 - 0.5), atol=1e-4, rtol=0)   # beak at pixel (30, 20)
    assert b['identity'].tolist() == [2, 2, 2]

def test_cub_corrupt_image_and_inconsistent_lists_are_named(tmp_path):
    r = make_cub_fixture(tmp_path)
    cub = CUB(r, 'train', res=16)
    p = r / 'images' / cub.files[cub.ids[0]]; p.write_bytes(b'garbage')
    with pytest.raises(ValueError, match=f'unreadable image {p}'): cub.sample([0])
    (r / 'bounding_boxes.txt').write_text('1 20 10 20 20\n')
    with pytest.raises(ValueError, match='bounding_boxes.txt lists 1 images, images.txt 4'): CUB(r)
    (r / 'parts' / 'parts.txt').write_text('1 back\n')
    with pytest.raises(ValueError, match="CUB's 15 parts"): CUB(r)

def test_celeba_splits_and_wild_filter(tmp_path):
    r = make_celeba_fixture(tmp_path, n=8)
    a, w = CelebA(r, 'aligned', res=16), CelebA(r, 'wild', res=16)
    assert set(a.splits['test']).isdisjoint(a.splits['train'])          # MAFL test never trains
    assert all(w.face_share(f) >= 0.3 for s in ('train', 'calib', 'test') for f in w.splits[s])
    assert w.n('train') < a.n('train')
    (r / 'Anno/list_landmarks_align_celeba.txt').write_text('7\nheader\n000001.jpg 1 2 3 4 5 6 7 8 9 10\n')
    with pytest.raises(ValueError, match='count line says 7 images, the file lists 1'): CelebA(r)

def test_the_metrics_run_on_a_real_loader(tmp_path):
    "A real loader is a drop-in for a world in `partseg.metrics.evaluate` (splits calib/test, IOD normalisation)."
    ds = CelebA(make_celeba_fixture(tmp_path, n=8), 'aligned', res=16)
    class Centre(torch.nn.Module):   # one part blob at a per-image varying place: a trivial 'method'
        n_parts = 2
        def segment(self, x):
            B = len(x); m = torch.zeros(B, 3, 16, 16); m[:, 0] = 1
            for i in range(B): m[i, 0, 4 + i % 3, 4] = 0; m[i, 1, 4 + i % 3, 4] = 1; m[i, 0, 10, 10 - i % 2] = 0; m[i, 2, 10, 10 - i % 2] = 1
            return m
    res = evaluate(Centre(), ds, n_calib=ds.n('calib'), n_test=ds.n('test'), metrics=('landmarks',))
    assert res['landmark_norm'] == 'iod' and np.isfinite(res['landmark_err'])

def test_flowers_ganseg_split_and_foreground_rule(tmp_path):
    from partseg.data.real import Flowers, make_flowers_fixture, flowers_foreground
    r = make_flowers_fixture(tmp_path)
    assert Flowers(r, 'test').ids == [1, 2] and Flowers(r, 'test', split_rule='official').ids == [4, 5]
    seg = np.array([[[0, 0, 254], [3, 0, 250], [200, 120, 60], [10, 10, 254]]], np.uint8)
    assert flowers_foreground(seg).tolist() == [[False, False, True, False]]        # the code's rule, JPEG-noise tolerant
    b = Flowers(r, 'train', res=16).sample([0, 1])
    assert b['fg'].shape == (2, 16, 16) and 0.3 < b['fg'].float().mean() < 0.6
    (r / 'setid.mat').write_bytes(b'not a mat file')
    with pytest.raises(ValueError, match='unreadable .mat file'): Flowers(r)
