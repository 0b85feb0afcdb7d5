"Shapes of partseg.nn's blocks at the widths the papers use (a few seconds on a CPU)."
import torch
from partseg.nn import SPADEResBlock, AdaINConvBlock, ResBlock, UNet, truncated_resnet, params_without_grad


def test_unet_siarohin2020_widths():
    u = UNet()                                     # block expansion 32, 5 blocks, max 1024 features
    with torch.no_grad(): y = u.eval()(torch.rand(1, 3, 64, 64))
    assert y.shape == (1, 35, 64, 64) and u.out_channels == 35


def test_truncated_resnets_liu2021():
    with torch.no_grad():
        for name in ('resnet18', 'resnet34'):      # part and appearance encoders: 128 px in, 32x32 out
            m = truncated_resnet(name).eval()
            assert m(torch.rand(1, 3, 128, 128)).shape == (1, 256, 32, 32) and m.stride == 4


def test_ganseg_blocks_train_step():
    blocks = torch.nn.ModuleList([SPADEResBlock(64, 32, cond_ch=16), AdaINConvBlock(32, 16, style_dim=64)])
    x, cond, style = torch.randn(4, 64, 32, 32), torch.rand(4, 16, 32, 32), torch.randn(4, 64)
    y = blocks[1](blocks[0](x, cond), style)
    assert y.shape == (4, 16, 32, 32)
    y.square().mean().backward()
    assert params_without_grad(blocks) == []


def test_resblock_preact_identity_at_zero():
    b = ResBlock(16, preact=True)
    torch.nn.init.zeros_(b.body[-1].weight); torch.nn.init.zeros_(b.body[-1].bias)
    x = torch.randn(2, 16, 8, 8)
    assert torch.allclose(b(x), x)
