"Quick integration checks of partseg.losses (the notebook nbs/05_losses.ipynb holds the detailed ones)."
import os, warnings, torch
import partseg.losses as L
from partseg.methods.liu2021 import ArcFace, liu2021_fg_loss, liu2021_bg_loss
from partseg.methods.braun2020 import gmrf_loss, entropy_loss
from partseg.methods.ganseg2022 import area_loss


def test_perceptual_fallback_and_state_dict(tmp_path, monkeypatch):
    monkeypatch.delenv('PARTSEG_VGG19', raising=False)
    old = torch.hub.get_dir(); torch.hub.set_dir(str(tmp_path))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            pl = L.PerceptualLoss.preset('siarohin2020', scales=(1, 0.5))
    finally: torch.hub.set_dir(old)
    assert pl.backbone_info['perceptual_backbone'] == 'vgg19-random(seed=0)'
    assert set(pl.state_dict()) == {'weights', '_acc', '_n'}
    x = torch.rand(1, 3, 32, 32)
    assert pl(x, x).item() == 0 and pl(x.flip(-1), x).item() > 0


def test_weights_file_env(tmp_path, monkeypatch):
    f = tmp_path / 'vgg.pth'
    torch.save({f'features.{k}': v for k, v in L.vgg19_features(4, seed=3).state_dict().items()}, f)
    monkeypatch.setenv('PARTSEG_VGG19', str(f))
    pl = L.PerceptualLoss(layers=('relu1_2',))
    assert pl.backbone_info['weights_source'] == 'env:PARTSEG_VGG19'
    assert torch.equal(pl.vgg[2].weight, L.vgg19_features(4, seed=3)[2].weight)


def test_losses_compose_and_backprop():
    logits = torch.randn(2, 5, 16, 16, requires_grad=True); maps = logits.softmax(1)
    head = ArcFace(8, 4)
    total = (liu2021_fg_loss(maps) + liu2021_bg_loss(maps) + head(torch.randn(2, 4, 8))
             + gmrf_loss(logits, reduce='mean') + entropy_loss(maps, reduce='mean')
             + area_loss(maps[:, 1:], torch.full((2, 4), 30.)) + L.concentration_loss(maps[:, 1:]))
    total.backward()
    assert torch.isfinite(total) and logits.grad.abs().sum() > 0
