"The controls of esser2019 and braun2020: a decoder blind to its pose / part-layout input gets shuffle gap 0, a seeing one does not; the copy floors and the part-colour oracles of their own metrics."
import pytest, torch
from partseg.controls import code_shuffle
from partseg.evaluation import get_metric
from partseg.data.pairs import make_source
from partseg.data.worlds import get_world
from partseg.methods.esser2019 import Esser2019, Esser2019Config, paint_part_means
from partseg.methods.braun2020 import Braun2020, Braun2020Config

def _esser(blind=False):
    torch.manual_seed(0)
    m = Esser2019(Esser2019Config.profile('smoke'))
    if blind:   # the decoder's first conv ignores the π channels: every pose code gives the same image
        with torch.no_grad(): m.dec.fc.weight[:, :m.cfg.code_channels].zero_()
    return m.eval()

def _braun(blind=False):
    torch.manual_seed(0)
    m = Braun2020(Braun2020Config.profile('smoke'))
    if blind:   # D_S's last layer ignores π: one part layout for every image (layout agreement 1.0)
        with torch.no_grad():
            for n, p in m.dec_s.body[-1].named_parameters():
                if n.endswith('weight'): p.zero_()
    return m.eval()

MAKERS = {'esser2019': _esser, 'braun2020': _braun}

@pytest.mark.parametrize('key', list(MAKERS))
def test_the_method_reports_the_control(key):
    assert 'code_shuffle' in type(MAKERS[key]()).metrics and get_metric('code_shuffle') is code_shuffle

@pytest.mark.parametrize('key', list(MAKERS))
def test_recon_errors_contract(key):
    m = MAKERS[key]()
    b = make_source('puppets', m.pairing, batch_size=4, res=m.cfg.res, split='test', pair_cfg=m.pair_config())(0)
    e = m.recon_errors(b, torch.arange(4))
    assert set(e) == {'model', 'shuffled', 'copy'} and all(v.shape == (4,) for v in e.values())
    torch.testing.assert_close(e['shuffled'], e['model'])
    assert (m.recon_errors(b, torch.tensor([1, 2, 3, 0]))['shuffled'] != e['model']).any()
    assert all(bool((v >= 0).all()) for v in e.values())

@pytest.mark.parametrize('key', list(MAKERS))
def test_a_blind_decoder_has_shuffle_gap_zero(key):
    world = get_world('puppets', res=MAKERS[key]().cfg.res)
    blind = code_shuffle(MAKERS[key](blind=True), world, n_test=8, batch_size=4)
    assert blind['health/shuffle_gap'] == pytest.approx(0.0, abs=1e-9) and blind['health/shuffle_used'] == 0.0
    seeing = code_shuffle(MAKERS[key](), world, n_test=8, batch_size=4)
    assert abs(seeing['health/shuffle_gap']) > 1e-7
    assert seeing['control/copy/recon_err'] == pytest.approx(blind['control/copy/recon_err'])   # same pairs, same floor

def test_paint_part_means_recovers_a_piecewise_constant_image():
    w = get_world('puppets', res=16); b = w.sample(list(range(4)), 'test')
    lab = b['parts']; L = int(lab.max()) + 1
    cols = torch.rand(L, 3)
    img = cols[lab].permute(0, 3, 1, 2)
    torch.testing.assert_close(paint_part_means(img, lab, lab), img)
    torch.testing.assert_close(paint_part_means(img, lab, lab, keep_background=False), img)

def test_esser_oracle_beats_the_copy_floor():
    w = get_world('puppets', res=16)
    ev = _esser().evaluate_world(w, n_calib=8, n_test=16)
    for s in ('', '_fg'):   # the oracle has x₂'s pose; copying x₁ has the wrong one
        assert ev[f'control/oracle/triplet_mse{s}'] < ev[f'control/copy/triplet_mse{s}']
    # model-free: a different (blind) model gets the same floors and ceilings
    ev2 = _esser(blind=True).evaluate_world(w, n_calib=8, n_test=16)
    assert ev2['control/copy/triplet_mse'] == ev['control/copy/triplet_mse'] and ev2['control/oracle/triplet_mse_fg'] == ev['control/oracle/triplet_mse_fg']

def test_braun_floors_and_ceiling():
    w = get_world('puppets', res=16)
    d, d2 = _braun().diagnostics(w, n=16), _braun(blind=True).diagnostics(w, n=16)
    assert d['control/oracle/rec_test'] < min(d['control/grid/rec_test'], d['control/copy/rec_test'])
    assert all(d[f'control/{k}/rec_test'] == d2[f'control/{k}/rec_test'] for k in ('copy', 'grid', 'oracle'))
    assert d2['layout_agreement'] == 1.0   # the blind model's one layout
