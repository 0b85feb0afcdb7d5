"""braun2020 (issue 8) on this CPU: training-step time and peak memory for the smoke / quick configs and one step of the
paper config (128 px, batch 4, K = 25), each in its own subprocess.

Run: .venv/bin/python bench/bench_braun2020.py   (writes bench/_out/braun2020.md; `make bench` assembles RESULTS.md)
Method: build the model at the profile's config on `puppets` frame pairs, render the batches first (not timed), then time
one full `training_step` (T and T' update, the model's forward + backward + Adam step, the gamma / lambda update) after a
warm-up step and report the median; E_α's forward + backward on the step's B × N masked images (§3.4: one pass per part) is
also timed alone, the same number of times.
"""
import json, platform, resource, statistics, sys, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from _steps import time_steps, run_cases

CASES = {f'braun2020 {p}': ('braun2020', p, {}, 1 if p == 'paper' else 7) for p in ('smoke', 'quick', 'paper')}

def _rss(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def one(name: str) -> dict:
    from partseg.methods import get_method
    from partseg.data.pairs import make_source
    key, profile, ov, n = CASES[name]
    torch.manual_seed(0)
    cls = get_method(key); m = cls(cls.Config.profile(profile, **ov)).train()
    src = make_source('puppets', m.pairing, batch_size=m.cfg.batch_size, res=m.cfg.res, pair_cfg=m.pair_config())
    params = sum(p.numel() for p in m.parameters()) / 1e6
    t_step, t_data, batches, n_timed = time_steps(m, src, n)
    x = batches[0]['image']; probs = torch.softmax(torch.randn(len(x), m.cfg.n_parts, *x.shape[-2:]), 1).requires_grad_()
    t_alpha = []
    for _ in range(n + 1):
        t0 = time.perf_counter(); m.part_appearances(x, probs).sum().backward(); t_alpha.append(time.perf_counter() - t0)
    t_alpha = statistics.median(t_alpha[1:]) if n > 1 else t_alpha[-1]
    return dict(name=name, res=m.cfg.res, batch=m.cfg.batch_size, K=m.cfg.n_parts, steps=m.cfg.steps, step_s=t_step, data_s=t_data, alpha_s=t_alpha,
                rss_mib=_rss(), n=n_timed, params_m=params, perceptual=json.dumps(getattr(m, 'run_info', {}))[:60])

def main():
    rows = run_cases(__file__, CASES)
    md = [f"### braun2020: training step ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, CPU; "
          "puppets frame pairs; one full step: T/T′, model forward + backward + Adam, γ/λ; medians)", '',
          '| config | res | batch | K | params | ms / step | of which E_α (fwd+bwd) | data / step | peak RSS | steps of the profile | est. training time |',
          '|---|---|---|---|---|---|---|---|---|---|---|']
    for r in rows:
        if 'error' in r: md.append(f"| {r['name']} | failed: {r['error']} | | | | | | | | | |"); continue
        est = r['steps'] * (r['step_s'] + r['data_s'])
        md.append(f"| {r['name']} | {r['res']} | {r['batch']} | {r['K']} | {r['params_m']:.2f} M | {r['step_s'] * 1e3:.0f} | "
                  f"{r['alpha_s'] * 1e3:.0f} ms ({r['alpha_s'] / r['step_s']:.0%}) | "
                  f"{r['data_s'] * 1e3:.0f} ms | {r['rss_mib']:.0f} MiB | {r['steps']} | {est / 60:.1f} min |")
    md += ['', "The paper row times one step of appendix A.1's configuration (E_α runs on B × 25 masked 128-px images per step) "
           "with the VGG19 perceptual loss (the random substitute when no ImageNet weights are present); it is meant for a GPU."]
    out = Path(__file__).parent/'_out'; out.mkdir(exist_ok=True)
    (out/'braun2020.md').write_text('\n'.join(md) + '\n'); print('\n'.join(md))

if __name__ == '__main__':
    if len(sys.argv) > 1: print(json.dumps(one(sys.argv[1])))
    else: main()
