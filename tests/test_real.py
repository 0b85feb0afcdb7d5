"Real data sets: every loader of partseg.data.real on fixture trees in the official layouts (lists, .mat, .pkl, palette PNGs)."
import re
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
    with pytest.raises(ValueError, match=f'{re.escape(str(p))}: not a readable image'): cub.sample([0])
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

def test_aflw_reads_the_thewlis_subset_and_normalises_by_the_eyes(tmp_path):
    from partseg.data.real import AFLW, make_aflw_fixture
    from scipy.io import savemat
    r = make_aflw_fixture(tmp_path, n_train=4, n_test=3)
    af = AFLW(r, res=25)
    assert (af.n('train'), af.n('calib'), af.n('test')) == (4, 4, 3)
    b = af.sample([0, 2], 'test')
    assert b['image'].shape == (2, 3, 25, 25) and b['visible'].all()
    # landmarks scale per axis (the 40×50 crop is resized whole): the eyes at x 15, 35 of 50 → 25 px
    torch.testing.assert_close(b['keypoints'][:, :2, 0], torch.tensor([[15.5, 35.5]] * 2) / 2 - 0.5)
    savemat(r / 'aflw_test_keypoints.mat', dict(gt=np.zeros((3, 5, 2)), hw=np.tile([[41, 50]], (3, 1))))
    with pytest.raises(ValueError, match=r'0000.jpg: the crop is \(40, 50\) but hw'): AFLW(r).sample([0], 'test')
    (r / 'aflw_test_images.txt').unlink()
    with pytest.raises(DataNotFound, match='aflw_test_images.txt'): AFLW(r)

def test_voc_instance_protocol_filters_and_names_the_category(tmp_path):
    from partseg.data.real import VOC, make_voc_fixture
    r = make_voc_fixture(tmp_path)
    horse = VOC('horse', r, res=32)
    assert [i for i, _, _ in horse.items] == ['2008_000001']          # truncated and < 20 % boxes are out
    assert len(VOC('horse', r, min_area=0.0)) == 2                     # ... the small one passes without the area rule
    cow = VOC('cow', r, res=32).sample([0])
    assert cow['fg'].any() and (cow['fg'] <= cow['fg_class']).all()   # the instance lies inside the class mask
    assert not (cow['fg'] & cow['void']).any()
    (r / 'Annotations' / '2008_000002.xml').write_text('<annotation><size></size></annotation>')
    with pytest.raises(ValueError, match='2008_000002.xml: not a VOC annotation'): VOC('horse', r)

def test_voc_rgb_masks_are_refused(tmp_path):
    from PIL import Image
    from partseg.data.real import VOC, make_voc_fixture
    r = make_voc_fixture(tmp_path)
    p = r / 'SegmentationObject' / '2008_000001.png'
    Image.open(p).convert('RGB').save(p)
    with pytest.raises(ValueError, match='expected a palette'): VOC('horse', r).sample([0])

def test_deepfashion_full_body_items_pairs_and_densepose_groups(tmp_path):
    from partseg.data.real import DeepFashion, make_deepfashion_fixture, PERSON_PARTS
    r = make_deepfashion_fixture(tmp_path)
    df = DeepFashion(r, res=32, part_labels='densepose')
    assert all(f.endswith('_full.jpg') for s in df.splits.values() for f, _ in s)
    b = df.pairs(range(len(df.item_pairs())))
    assert (b['identity'] == b['identity2']).all() and b['parts'].max() < len(PERSON_PARTS)
    head = b['parts'] == PERSON_PARTS.index('head')
    assert head.any() and b['fg'][head].all()
    assert 'parts' not in DeepFashion(r, res=32).sample([0])          # no labels asked for, none returned
    (r / 'Eval' / 'list_eval_partition.txt').write_text('1\nimage_name item_id evaluation_status\nimg/x.jpg id_1 validation\n')
    with pytest.raises(ValueError, match='train|query|gallery'): DeepFashion(r)

def test_penn_action_splits_by_video_and_pairs_within_a_video(tmp_path):
    from partseg.data.real import PennAction, make_penn_fixture
    r = make_penn_fixture(tmp_path)
    pa = PennAction(r, res=32)
    assert set(pa.videos['calib']).isdisjoint(pa.videos['test']) and not set(pa.videos['train']) & set(pa.videos['test'])
    g = torch.Generator().manual_seed(1)
    b = pa.frame_pairs(range(pa.n('calib')), 'calib', generator=g)
    assert b['image2'].shape == (3, 3, 32, 32) and torch.equal(b['visible'], b['visible2'])
    assert len(PennAction(r, actions=('squat',))) == 3
    with pytest.raises(ValueError, match='no training frame'): PennAction(r, actions=('golf_swing',))

def test_motion_videos_landmark_protocol_and_strips(tmp_path):
    from partseg.data.real import MotionVideos, make_motion_fixture
    r = make_motion_fixture(tmp_path, 'voxceleb')
    mv = MotionVideos('voxceleb', r, res=16)
    assert (mv.n('calib'), mv.n('test'), mv.n_keypoints) == (3, 2, 68)
    t = mv.sample([0, 1], 'test')
    assert t['keypoints'].shape == (2, 68, 2) and t['visible'][1, 0].item() is False   # the −1 landmark is missing
    assert mv.sample([0, 1], 'train')['image'].shape == (2, 3, 16, 16)
    from partseg.data.real import write_landmarks_csv
    write_landmarks_csv(r / 'landmarks' / 'vox_test_gt.csv', ['a.png'], np.zeros((1, 18, 2)))
    with pytest.raises(ValueError, match='vox_test_gt.csv: expected 68 landmarks for voxceleb, got 18'): MotionVideos('voxceleb', r)
    from PIL import Image
    Image.fromarray(np.zeros((16, 40, 3), np.uint8)).save(r / 'train' / 'vid_b.png')
    with pytest.raises(ValueError, match='width a multiple of height'): MotionVideos('voxceleb', r, landmarks=False).frame_pairs([1])

def _no_unpickling(monkeypatch):
    "Make every way of unpickling fail loudly, so a test proves a loader never unpickles."
    import pickle, pandas as pd
    def refuse(*a, **k): raise AssertionError('unpickled a file')
    for mod, name in ((pd, 'read_pickle'), (pickle, 'load'), (pickle, 'loads'), (pickle, 'Unpickler')): monkeypatch.setattr(mod, name, refuse)

def test_motion_landmarks_are_read_from_the_csv_without_unpickling(tmp_path, monkeypatch):
    "With `<prefix>_<split>_gt.csv` beside the pickle, the loader reads the CSV and never unpickles, and warns about nothing."
    import warnings
    from partseg.data.real import MotionVideos, make_motion_fixture
    r = make_motion_fixture(tmp_path, 'taichi', landmarks='both')
    (r / 'landmarks' / 'taichi_test_gt.pkl').write_bytes(b'not a pickle either')   # would fail to unpickle, were it read
    _no_unpickling(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        mv = MotionVideos('taichi', r, res=16)
    assert (mv.n('calib'), mv.n('test')) == (3, 2)
    b = mv.sample([0, 1, 2], 'calib')
    assert b['keypoints'].shape == (3, 18, 2) and b['visible'][:, 0].tolist() == [True, True, False]

def test_landmarks_pkl_to_csv_round_trips_exactly(tmp_path, monkeypatch):
    "A converted pickle gives the loader exactly the pickle's landmarks (awkward floats, −1, NaN, odd file names)."
    import pandas as pd
    from partseg.data.real import MotionVideos, make_motion_fixture, landmarks_pkl_to_csv, read_landmarks_csv, read_landmarks, LandmarkPickleWarning
    rng = np.random.default_rng(0)
    names = ['b 2.png', 'a,"1".png', 'c.png']
    vals = [rng.uniform(0, 256, (18, 2)) for _ in names]; vals[0][3] = -1; vals[1][0, 0] = 0.1 + 0.2; vals[2][5] = np.nan
    pkl = tmp_path / 'x_gt.pkl'
    pd.DataFrame(dict(file_name=names, value=vals)).to_pickle(pkl)
    with pytest.warns(LandmarkPickleWarning): _, f0, v0 = read_landmarks(tmp_path / 'x_gt')
    assert landmarks_pkl_to_csv(pkl) == tmp_path / 'x_gt.csv'
    f, v = read_landmarks_csv(tmp_path / 'x_gt.csv')
    assert f == names and v.dtype == np.float64 and np.array_equal(v, np.stack(vals), equal_nan=True)   # bit for bit, file order kept
    _no_unpickling(monkeypatch)
    _, f1, v1 = read_landmarks(tmp_path / 'x_gt')
    assert f1 == f0 and np.array_equal(v1, v0, equal_nan=True)                      # the loader sees the same landmarks either way
    r = make_motion_fixture(tmp_path / 'data', 'taichi', landmarks='pkl')
    monkeypatch.undo()
    with pytest.warns(LandmarkPickleWarning): ref = MotionVideos('taichi', r, res=16).sample([0, 1], 'test')['keypoints']
    out = landmarks_pkl_to_csv(r / 'landmarks' / 'taichi_test_gt.pkl', tmp_path / 'elsewhere.csv')
    assert out == tmp_path / 'elsewhere.csv' and out.is_file() and not (r / 'landmarks' / 'taichi_test_gt.csv').exists()
    for s in ('train', 'test'): landmarks_pkl_to_csv(r / 'landmarks' / f'taichi_{s}_gt.pkl')
    _no_unpickling(monkeypatch)
    torch.testing.assert_close(MotionVideos('taichi', r, res=16).sample([0, 1], 'test')['keypoints'], ref, equal_nan=True, rtol=0, atol=0)

def test_malformed_landmark_csv_names_the_file_line_and_column(tmp_path):
    "A bad header, a short line, a non-number or an empty file name: a ValueError naming the file, where, and what was expected."
    from partseg.data.real import MotionVideos, make_motion_fixture, read_landmarks_csv
    r = make_motion_fixture(tmp_path, 'taichi')
    p = r / 'landmarks' / 'taichi_train_gt.csv'
    lines = p.read_text().splitlines()
    p.write_text('\n'.join(lines[:2] + [lines[2].replace(',16.0,', ',eight,', 1)] + lines[3:]) + '\n')
    with pytest.raises(ValueError, match=r"taichi_train_gt.csv, line 3, column 3 \(y0\): expected a number \(pixels, -1 = missing\), got 'eight'"):
        MotionVideos('taichi', r)
    p.write_text('\n'.join(lines[:2] + [lines[2].rsplit(',', 1)[0]]) + '\n')
    with pytest.raises(ValueError, match=r'taichi_train_gt.csv, line 3: expected 37 fields \(file_name and 18 x, y pairs\), got 36'): MotionVideos('taichi', r)
    p.write_text('\n'.join(lines[:2] + [',' + lines[2].split(',', 1)[1]]) + '\n')
    with pytest.raises(ValueError, match=r'taichi_train_gt.csv, line 3, column 1 \(file_name\): expected a frame'): MotionVideos('taichi', r)
    p.write_text('file,x,y\na.png,1,2\n')
    with pytest.raises(ValueError, match=r'taichi_train_gt.csv, line 1: expected the header file_name,x0,y0'): read_landmarks_csv(p)
    p.write_text(lines[0] + '\n')
    with pytest.raises(ValueError, match='taichi_train_gt.csv: expected one line per annotated frame'): MotionVideos('taichi', r)

def test_motion_landmarks_fall_back_to_the_pickle_with_a_warning(tmp_path):
    "Without a CSV the trusted .pkl is still read, with one LandmarkPickleWarning per file naming it and the conversion; neither file: DataNotFound naming the CSV."
    import warnings
    from partseg.data.real import MotionVideos, make_motion_fixture, LandmarkPickleWarning, DataNotFound
    r = make_motion_fixture(tmp_path, 'voxceleb', landmarks='pkl')
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter('always')
        mv = MotionVideos('voxceleb', r, res=16)
    assert (mv.n('calib'), mv.n('test')) == (3, 2) and mv.sample([0], 'test')['keypoints'].shape == (1, 68, 2)
    msgs = [str(w.message) for w in ws if issubclass(w.category, LandmarkPickleWarning)]
    assert len(msgs) == 2 and 'vox_train_gt.pkl' in msgs[0] and 'vox_test_gt.pkl' in msgs[1]
    assert all('partseg convert-landmarks' in m and 'arbitrary code' in m and 'trust' in m for m in msgs)
    (r / 'landmarks' / 'vox_test_gt.pkl').unlink()
    with pytest.warns(LandmarkPickleWarning), pytest.raises(DataNotFound, match=r'missing landmark file .*vox_test_gt.csv \(or, from a trusted source, vox_test_gt.pkl\)'):
        MotionVideos('voxceleb', r)

def test_cub_landmarks_are_normalised_by_the_annotated_box(tmp_path):
    "With `box_wh` in the batches, norm='bbox' divides by the annotated box (liu2021 on CUB), not the mask's box."
    from partseg.metrics import _landmark_targets
    d = dict(keypoints=np.zeros((2, 15, 2)), visible=np.ones((2, 15), bool), fg=np.ones((2, 8, 8), bool), box_wh=np.array([[3., 4.], [5., 6.]]))
    _, kw = _landmark_targets(d, 'cub', 'world', True)
    assert kw['bbox_test'].tolist() == [[3., 4.], [5., 6.]]
    del d['box_wh']; _, kw = _landmark_targets(d, 'cub', 'world', True)
    assert kw['bbox_test'].tolist() == [[8., 8.], [8., 8.]]

def test_paper_profile_switches_to_a_configured_real_data_set_and_records_it(tmp_path, monkeypatch):
    "make_world: real data in `paper` only when its directory exists; the evaluation runs on it and says so."
    import math
    from partseg.registry import Experiment, real_key, get_experiment
    from partseg.runs import make_world, build, data_label, evaluate_method
    from partseg.data.real import make_cub_fixture
    monkeypatch.setenv('PARTSEG_DATA', str(tmp_path))
    e = Experiment('test/cub-grid', 'liu2021', 'Tab_4', 'grid', 'birds', dict(n_parts=4), world_overrides=dict(species=(0,)))
    assert real_key(e) == 'cub-1' and data_label(make_world(e, 'paper')) == 'synthetic:birds'
    make_cub_fixture(tmp_path, n=8)
    e = Experiment('test/cub-grid', 'ganseg2022', 'Tab_1', 'grid', 'birds', dict(n_parts=4))
    w = make_world(e, 'paper')
    assert data_label(w) == 'real:cub' and data_label(make_world(e, 'smoke')) == 'synthetic:birds'
    method, w, src = build(e, 'paper', 0, 'cpu')
    m = evaluate_method(method, w, 'paper', 'cpu')                   # calib / test clamp to the fixture's 4 + 4 images
    assert math.isfinite(m['landmark_err']) and math.isfinite(m['fg_iou'])
    assert real_key(get_experiment('braun2020/puppets-full')) == 'deepfashion'      # Table 1's data set
    assert real_key(get_experiment('esser2019/puppets-adaptive')) is None       # Fig. 7 needs ground-truth triplets
    assert real_key(get_experiment('braun2020/birds-full')) == 'cub'

def test_table_headers_list_the_data_each_run_used(monkeypatch, tmp_path):
    "write_table names the recorded data of the runs, and flags real-data runs, whatever the caller's description says."
    import pandas as pd
    import partseg.tables as T
    monkeypatch.setattr(T, 'runs_dir', lambda: tmp_path)
    t = pd.DataFrame(dict(method=['a'], iou=[0.5]))
    runs = pd.DataFrame(dict(device=['cpu', 'cpu', None], data=['synthetic:birds', 'real:cub', None]))
    p = T.write_table(t, t, 'test', 'Tab_x', 'smoke', 'a table', 'synthetic birds', runs=runs)
    text = p.read_text()
    assert '`real:cub` × 1' in text and '`synthetic:birds` × 1' in text and '1 real data set(s) among the runs (real:cub)' in text
    p = T.write_table(t, t, 'test', 'Tab_x', 'smoke', 'a table', 'synthetic birds', runs=runs.iloc[:1])
    assert 'real data set(s)' not in p.read_text()

def test_run_world_reopens_what_the_run_recorded(tmp_path, monkeypatch):
    "A run's own world: its recorded real data set (not whatever make_world would pick today), or its synthetic world."
    import json
    from partseg.runs import run_world, data_label
    from partseg.data.real import make_cub_fixture
    monkeypatch.setenv('PARTSEG_DATA', str(tmp_path/'data'))
    make_cub_fixture(tmp_path/'data', n=8)
    (tmp_path/'real').mkdir(); (tmp_path/'syn').mkdir()
    (tmp_path/'real/config.json').write_text(json.dumps(dict(world=dict(name='cub', data='real:cub', config={}), config=dict(res=32))))
    (tmp_path/'syn/config.json').write_text(json.dumps(dict(world=dict(name='birds', data='synthetic:birds', config=dict(res=32)), config=dict(res=32))))
    assert data_label(run_world(tmp_path/'real')) == 'real:cub' and run_world(tmp_path/'real').sample([0], 'test')['image'].shape[-1] == 32
    assert data_label(run_world(tmp_path/'syn')) == 'synthetic:birds'
    try: run_world(tmp_path); raise AssertionError('no error')
    except FileNotFoundError as e: assert 'config.json' in str(e)

def test_braun2020_puppets_train_and_evaluate_on_deepfashion(tmp_path, monkeypatch):
    "In `paper` with DeepFashion present, braun2020's puppets runs and their keypoint + CRF rows train on same-item pairs and evaluate there."
    import math
    from partseg.runs import build, evaluate_method, data_label
    from partseg.registry import get_experiment
    from partseg.data.real import make_deepfashion_fixture
    monkeypatch.setenv('PARTSEG_DATA', str(tmp_path))
    make_deepfashion_fixture(tmp_path)
    for key in ('braun2020/puppets-full', 'baselines/lorenz2019-puppets-K25'):
        e = get_experiment(key)
        method, w, src = build(e, 'paper', 0, 'cpu')
        assert data_label(w) == 'real:deepfashion' and src.n_items == (2 if method.pairing == 'video' else 3)   # item pairs, or images
        b = src(0); assert b['image'].shape == b['image2'].shape and b['image'].shape[-1] == e.config('paper').res
        m = evaluate_method(method, w, 'paper', 'cpu', e.protocols, e.tags.get('crf_sigmas', ()))
        assert math.isfinite(m['part_iou_calibrated']) and m['n_test'] == 1 and 'landmark_err' not in m   # no keypoints
        if key.startswith('braun2020'): assert m['n_pairs_test'] == 0 and math.isnan(m['rec_test'])   # no gallery pair
        else: assert math.isfinite(m['part_iou_crf'])

def _deepfashion_with_test_pairs(root):
    "The DeepFashion fixture plus two more query and gallery images of its test item: 1 query pair direction each way, 2 gallery ones."
    import numpy as np
    from PIL import Image
    from partseg.data.real import make_deepfashion_fixture
    r = make_deepfashion_fixture(root)
    lst = r / 'Eval' / 'list_eval_partition.txt'
    rows = lst.read_text().splitlines()
    for k, (n, st) in enumerate((('03_4_full', 'query'), ('04_4_full', 'gallery'))):
        f = f'MEN/Tees/id_00000003/{n}'
        Image.fromarray(np.full((32, 22, 3), 60 + 40 * k, np.uint8)).save(r / 'img' / (f + '.jpg'))
        Image.open(r / 'parts' / 'MEN/Tees/id_00000003/01_4_full.png').save(r / 'parts' / (f + '.png'))
        rows.append(f'img/{f}.jpg id_00000003 {st}')
    rows[0] = str(len(rows) - 2); lst.write_text('\n'.join(rows) + '\n')
    return r

def test_esser2019_real_only_rows_train_and_evaluate_on_deepfashion(tmp_path, monkeypatch):
    "esser2019/deepfashion-*: refused without the data, else a training step on same-item pairs (no keypoints) and MI measures on real pairs, no triplet error."
    import math
    from partseg.runs import build, evaluate_method, data_label
    from partseg.registry import get_experiment
    from partseg.train import fit
    e = get_experiment('esser2019/deepfashion-adversarial')
    monkeypatch.setenv('PARTSEG_DATA', str(tmp_path))
    with pytest.raises(ValueError, match='deepfashion is not under'): build(e, 'paper', 0, 'cpu')
    _deepfashion_with_test_pairs(tmp_path)
    method, w, src = build(e, 'paper', 0, 'cpu')
    assert data_label(w) == 'real:deepfashion' and w.n_items('video', 'test') == 2 and w.n_items('video', 'calib') == 2
    b = src(0); assert 'keypoints2' not in b
    fit(method, src, steps=1, device='cpu', progress=False)
    m = evaluate_method(method, w, 'paper', 'cpu')
    assert m['n_pairs_test'] == 2 and m['n_pairs_calib'] == 2 and math.isnan(m['I_post'])   # < 8 calibration pairs: no fresh classifier
    assert all(math.isfinite(m[k]) for k in ('I_T', 'I_T2', 'L_rec', 'kl')) and math.isnan(m['triplet_mse']) and m['triplet_mse_per_sample'] == []

def test_cli_refuses_a_real_only_run_without_its_data(root, capsys):
    "`partseg train` of a real-only experiment outside `paper`: exit 2, one line naming why, no run directory."
    from partseg.cli import main
    from partseg.runs import run_dir
    assert main(['train', 'esser2019/deepfashion-adaptive', '--profile', 'smoke']) == 2   # the CLI's bad-input status
    err = capsys.readouterr().err
    assert 'trains on real data only (deepfashion)' in err and 'Traceback' not in err
    assert not run_dir('esser2019/deepfashion-adaptive', 'smoke', 0).exists()

@pytest.mark.parametrize('key,fixture,data', [('liu2021/faces-wild-K8-full', 'celeba', 'celeba-wild'),
                                              ('siarohin2020/puppets-full', 'taichi', 'taichi')])
def test_paper_runs_end_to_end_on_data_without_masks(key, fixture, data, root, tmp_path, monkeypatch, capsys):
    "A `paper` run (2 steps) on a landmarks-only real data set trains and evaluates: landmark errors, no fg/part IoU."
    import json
    from partseg.data.real import make_celeba_fixture, make_motion_fixture
    from partseg.cli import main
    from partseg.runs import run_dir
    monkeypatch.setenv('PARTSEG_DATA', str(tmp_path))
    make_celeba_fixture(tmp_path, n=12) if fixture == 'celeba' else make_motion_fixture(tmp_path, fixture)
    # --from-scratch: siarohin2020's rows fine-tune from a base run, which a 2-step test does not train
    assert main(['train', key, '--profile', 'paper', '--set', 'steps=2', 'batch_size=2', '--from-scratch']) == 0, capsys.readouterr().err
    tag = '-from-scratch' if key.startswith('siarohin2020') else ''
    m = json.loads((run_dir(f"adhoc/{key.replace('/', '_')}-steps=2-batch_size=2{tag}", 'paper', 0) / 'metrics.json').read_text())
    assert m['data'] == f'real:{data}' and np.isfinite(m['landmark_err']) and 'fg_iou' not in m and 'part_iou_calibrated' not in m
