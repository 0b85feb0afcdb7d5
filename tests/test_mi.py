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

def test_both_critics_see_a_shared_identity_in_wide_codes_and_nothing_in_independent_ones():
    from partseg.losses import mi_classifier_loss, mi_estimate, shuffle_pairs
    for kind in ('mlp', 'separable'):
        est = {}
        for dep in (True, False):
            torch.manual_seed(0); g = torch.Generator().manual_seed(1)
            T = PairClassifier(48, 32, hidden=64, depth=1, kind=kind); opt = torch.optim.Adam(T.parameters(), 1e-3)
            gen = torch.Generator().manual_seed(2)
            A, B = torch.randn(8, 48, generator=gen), torch.randn(8, 32, generator=gen)   # one fixed 'encoder'
            def batch(n):
                z = torch.randn(n, 8, generator=g); z2 = z if dep else torch.randn(n, 8, generator=g)
                return z @ A + 0.5 * torch.randn(n, 48, generator=g), z2 @ B + 0.5 * torch.randn(n, 32, generator=g)
            for _ in range(300):
                pi, a = batch(128)
                loss = mi_classifier_loss(T(pi, a), T(pi, shuffle_pairs(a))); opt.zero_grad(); loss.backward(); opt.step()
            with torch.no_grad(): est[dep] = float(mi_estimate(T(*batch(4096))))
        print(kind, est)
        assert est[True] > 1.0 and abs(est[False]) < 0.2, (kind, est)
