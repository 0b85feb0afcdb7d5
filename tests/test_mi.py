"""partseg.mi: the MI machinery on its own — isolation of T′, the multiplier rules, and a round trip through a checkpoint."""
import math, torch
from partseg.mi import MIRegularizer, MIConfig, PairClassifier
from partseg.losses import gaussian_kl

def _codes(B=8, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(B, 4, generator=g, requires_grad=True), torch.randn(B, 3, generator=g)

def test_t_prime_never_reaches_the_encoder_and_t_is_frozen_in_the_encoder_loss():
    torch.manual_seed(0)
    mi = MIRegularizer(4, 3, MIConfig(hidden=16, depth=2))
    pi, alpha = _codes()
    before = {k: v.clone() for k, v in mi.state_dict().items()}
    out = mi.encoder_loss(pi, alpha, gaussian_kl(pi), step=0)
    out['loss_mi_total'].backward()
    assert pi.grad is not None and all(p.grad is None for p in mi.parameters())
    # the encoder loss does not read T′: a scrambled T′ leaves it unchanged
    with torch.no_grad():
        for p in mi.T2.parameters(): p.normal_()
    pi2 = pi.detach().clone().requires_grad_(True)
    assert torch.allclose(mi.encoder_loss(pi2, alpha, gaussian_kl(pi2), step=0)['loss_mi_total'], out['loss_mi_total'])
    assert all(torch.equal(before[k], v) for k, v in mi.state_dict().items() if not k.startswith('T2.'))

def test_classifier_step_trains_both_classifiers_on_detached_codes():
    torch.manual_seed(0)
    mi = MIRegularizer(4, 3, MIConfig(hidden=16, depth=1)); opt = mi.configure_optimizer()
    pi, alpha = _codes()
    w = [p.clone() for p in mi.parameters()]
    st = mi.train_classifiers(pi, alpha, opt)
    assert pi.grad is None                                   # the codes are detached
    assert all(not torch.equal(a, b) for a, b in zip(w, mi.parameters()) if a.dim() == 2)
    assert set(st) >= {'I_T', 'I_T2', 'loss_T', 'loss_T2'}

def test_multipliers_survive_a_checkpoint_round_trip(tmp_path):
    mi = MIRegularizer(4, 3, MIConfig(hidden=8, depth=1, gamma_init=0.5))
    for s in range(5): mi.update(0.4, 0.9, s)
    torch.save(mi.state_dict(), tmp_path/'mi.pt')
    mi2 = MIRegularizer(4, 3, MIConfig(hidden=8, depth=1, gamma_init=0.5))
    mi2.load_state_dict(torch.load(tmp_path/'mi.pt', weights_only=True))
    assert math.isclose(float(mi2.gamma), 0.5 + 5 * 0.01 * (0.9 - 0.4 - 0.01), rel_tol=1e-5)
    assert math.isclose(float(mi2.lam), 5 * 0.1 * (0.4 - 0.125), rel_tol=1e-5)
