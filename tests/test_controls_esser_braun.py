"The copy floors and part-colour oracles inside esser2019's and braun2020's own metrics (their code-shuffle control: test_code_shuffle.py)."
import pytest, torch
from partseg.data.worlds import get_world
from partseg.methods.esser2019 import paint_part_means
from test_code_shuffle import _esser, _braun   # the seeing and the blind models

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
