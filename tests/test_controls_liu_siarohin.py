"The code-shuffle control on liu2021, siarohin2020 and lorenz2019: a model blind to its shape input gets gap 0, a seeing one does not."
import pytest, torch
from partseg.controls import code_shuffle
from partseg.evaluation import get_metric
from partseg.data.pairs import make_source
from partseg.data.worlds import get_world
from partseg.methods.liu2021 import Liu2021, Liu2021Config
from partseg.methods.siarohin2020 import Siarohin2020, Siarohin2020Config
from partseg.methods.lorenz2019 import Lorenz2019, Lorenz2019Config

def _liu(blind=False):
    torch.manual_seed(0)
    m = Liu2021(Liu2021Config.profile('smoke', appearance_backbone='resnet18', decoder_width=32, n_parts=3, init_std=0.))
    if blind:   # the part head ignores the image: the same uniform part maps for every sample
        torch.nn.init.zeros_(m.part_head.weight)
    return m.eval()

def _siarohin(blind=False):
    torch.manual_seed(0)
    m = Siarohin2020(Siarohin2020Config.profile('smoke', n_parts=3))
    if blind:   # segments, anchors and affines the same for every frame: the flow cannot carry the driving frame's pose
        for h in (m.seg.segment_head, m.seg.shift_head, m.seg.affine_head): torch.nn.init.zeros_(h.weight)
    return m.eval()

def _lorenz(blind=False):
    torch.manual_seed(0)
    c = Lorenz2019Config.profile('smoke', n_parts=3)
    m = Lorenz2019(c)
    if blind: torch.nn.init.zeros_(m.shape_stream[-1].weight)   # uniform part maps: the same (μ, Σ) for every image
    return m.eval()

MAKERS = {'liu2021': _liu, 'siarohin2020': _siarohin, 'lorenz2019': _lorenz}

@pytest.mark.parametrize('key', list(MAKERS))
def test_the_method_reports_the_control(key):
    m = MAKERS[key]()
    assert 'code_shuffle' in type(m).metrics and get_metric('code_shuffle') is code_shuffle

@pytest.mark.parametrize('key', list(MAKERS))
def test_recon_errors_contract(key):
    m = MAKERS[key]()
    b = make_source('faces', m.pairing, batch_size=4, res=m.cfg.res, split='test', pair_cfg=m.pair_config())(0)
    e = m.recon_errors(b, torch.arange(4))
    assert set(e) == {'model', 'shuffled', 'copy'} and all(v.shape == (4,) for v in e.values())
    torch.testing.assert_close(e['shuffled'], e['model'])                        # identity permutation: the same output
    assert (m.recon_errors(b, torch.tensor([1, 2, 3, 0]))['shuffled'] != e['model']).any()   # another sample's shape input changes it
    assert all(bool((v >= 0).all()) for v in e.values())

@pytest.mark.parametrize('key', list(MAKERS))
def test_a_blind_decoder_has_shuffle_gap_zero(key):
    world = get_world('faces', res=MAKERS[key]().cfg.res)
    blind = code_shuffle(MAKERS[key](blind=True), world, n_test=8, batch_size=4)
    assert blind['health/shuffle_gap'] == 0.0 and blind['health/shuffle_used'] == 0.0   # bit-identical outputs
    assert blind['control/recon_err'] == blind['control/recon_err_shuffled']
    seeing = code_shuffle(MAKERS[key](), world, n_test=8, batch_size=4)
    assert seeing['health/shuffle_gap'] != 0.0            # untrained, but its output follows the shape input (a trained one: gap > 0)
    assert seeing['control/copy/recon_err'] == pytest.approx(blind['control/copy/recon_err'])   # the same pairs: the same copy floor
