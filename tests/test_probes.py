"Integration tests of partseg.probes: the weight cache, the identity gallery, and a smoke probe on a real world."
import math, pytest, torch
from partseg.data.worlds import get_world
from partseg.probes import (ProbeConfig, train_probe, identity_gallery, embed, pose_retention, pose_error_gt,
                            appearance_retention, probe_report, probe_key, make_probe, reid_batch, info_nce)
from partseg.core import seed_everything

SMOKE = ProbeConfig.profile('smoke')

@pytest.fixture(scope='module')
def faces32(): return get_world('faces', res=32)

def test_cache_round_trip(tmp_path, faces32):
    cfg = SMOKE.replace(steps=3)
    p1 = train_probe('appearance', faces32, cfg, device='cpu', cache_dir=tmp_path, progress=False)
    files = list(tmp_path.glob('probe-appearance-faces-*.pt'))
    assert len(files) == 1 and files[0].name == f"probe-appearance-faces-{probe_key('appearance', faces32, cfg)}.pt"
    p2 = train_probe('appearance', faces32, cfg, device='cpu', cache_dir=tmp_path, progress=False)
    assert p2.info['cached'] and not p2.training
    x = faces32.sample(range(4), 'test')['image']
    torch.testing.assert_close(embed(p1, x), embed(p2, x))
    train_probe('appearance', faces32, cfg.replace(seed=1), device='cpu', cache_dir=tmp_path, progress=False)
    assert len(list(tmp_path.glob('probe-appearance-faces-*.pt'))) == 2   # another config, another file

def test_corrupt_cache(tmp_path, faces32):
    cfg = SMOKE.replace(steps=1)
    path = tmp_path/f"probe-keypoints-faces-{probe_key('keypoints', faces32, cfg)}.pt"
    path.write_bytes(b'\x00garbage')
    with pytest.raises(ValueError, match='corrupt'):
        train_probe('keypoints', faces32, cfg, device='cpu', cache_dir=tmp_path, progress=False)
    # weights of another probe kind under this name do not fit either
    torch.save(dict(state_dict={'x': torch.zeros(1)}), path)
    with pytest.raises(ValueError, match=str(path.name)):
        train_probe('keypoints', faces32, cfg, device='cpu', cache_dir=tmp_path, progress=False)

def test_identity_gallery(faces32):
    g = identity_gallery(faces32, 4, 3, chunk=5)
    assert g['image'].shape == (12, 3, 32, 32) and g['keypoints'].shape == (12, 5, 2)
    assert g['identity'].dtype == torch.int64 and len(set(g['identity'].tolist())) == 4
    assert (g['identity'].view(4, 3) == g['identity'].view(4, 3)[:, :1]).all()
    h = identity_gallery(faces32, 4, 3)
    for k in g: torch.testing.assert_close(g[k], h[k], equal_nan=True)
    # poses are disjoint from the triplets' (kinds 1 and 4) and from the samples'
    b1, b2, b3 = faces32.triplets(range(4), 'test')
    assert (b1['identity'] == g['identity'][::3]).all()
    for b in (b1, b2, b3):
        assert not any(torch.equal(p, q) for p in g['pose'] for q in b['pose'])
    with pytest.raises(ValueError, match='n_ids'): identity_gallery(faces32, 2, 0)

def test_smoke_probe_beats_mean(faces32):
    p = train_probe('keypoints', faces32, SMOKE, device='cpu', progress=False)
    te = faces32.sample(range(128), 'test')
    mean_kp = faces32.sample(range(512), 'train')['keypoints'].mean(0)
    err = pose_error_gt(p, te['image'], te['keypoints'])['mean']
    err_mean = ((mean_kp - te['keypoints']).norm(dim=-1).mean(1) / 32 * 100).mean().item()
    assert err < err_mean, (err, err_mean)
    assert pose_retention(p, te['image'], te['image'])['mean'] == 0
    a = train_probe('appearance', faces32, SMOKE.replace(steps=20), device='cpu', progress=False)
    r = probe_report(faces32, dict(keypoints=p, appearance=a), n=128, n_ids=6, n_per_id=2)
    assert abs(r['kp_error'] - err) < 1e-9 and 0 <= r['app_map'] <= 100
    assert 0 <= appearance_retention(a, te['image'][:6], identity_gallery(faces32, 6, 1)['identity'],
                                     identity_gallery(faces32, 6, 2)) <= 100

def test_config_rejects_unknown_appearance():
    with pytest.raises(ValueError, match='valid choices: object, all, reid'): ProbeConfig(appearance='bogus')
    with pytest.raises(ValueError, match='valid choices'): ProbeConfig().replace(appearance='triplet')
    with pytest.raises(ValueError, match='temperature'): ProbeConfig(temperature=-1.)
    assert ProbeConfig().appearance == 'reid'

def test_reid_probe_learns(faces32):
    "A smoke re-id probe: unit-norm codes, and its InfoNCE on unseen test pairs drops below the untrained one's."
    w = faces32     # (32-px puppets are too small for a smoke probe to generalize to test identities)
    cfg = SMOKE.replace(steps=100, embed_dim=16)
    p = train_probe('appearance', w, cfg, device='cpu', progress=False)
    assert p.normalize and p.n_out == 16 and not p.training
    b = reid_batch(w, 0, 64, 'test')
    assert (b['identity'][:32] == b['identity'][32:]).all()
    z = embed(p, b['image'])
    torch.testing.assert_close(z.norm(dim=-1), torch.ones(64))
    seed_everything(cfg.seed); z0 = embed(make_probe('appearance', w, cfg).eval(), b['image'])
    loss, loss0 = info_nce(*z.chunk(2), cfg.temperature).item(), info_nce(*z0.chunk(2), cfg.temperature).item()
    assert abs(loss0 - math.log(32)) < 0.5, loss0     # untrained: about chance
    assert loss < loss0 - 0.3, (loss, loss0)
    # the regressing modes are still available and have their own output size and cache key
    o = make_probe('appearance', w, cfg.replace(appearance='object'))
    assert o.n_out == w.n_app and not o.normalize
    assert probe_key('appearance', w, cfg) != probe_key('appearance', w, cfg.replace(appearance='object'))
