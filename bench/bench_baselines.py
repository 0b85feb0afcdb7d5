"""Baselines (issue 7) on this CPU: training-step time and peak memory of SCOPS, IMM, Lorenz et al. 2019 and DFF for the
smoke / quick configs, the paper config for one step, and the dense-CRF post-processing (braun2020 A.2) per image.

Run: .venv/bin/python bench/bench_baselines.py   (writes bench/_out/baselines.md; `make bench` assembles RESULTS.md)
Method: each case runs in its own subprocess (so max RSS is its own): build the method at the profile's config, render
its training batches first (not timed), then time forward + backward + optimizer step of `training_step` after one
warm-up step and report the median. DFF has no gradient step: its `training_step` collects features and the last one
fits the NMF, so its rows time the feature collection and, separately, the fit. The CRF row times `crf_refine` on
64-px puppets images with K = 25 Gaussian unaries, 5 mean-field iterations.
"""
import json, os, platform, resource, statistics, sys, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from _steps import time_steps, run_cases

WORLD = {'scops': 'faces', 'imm': 'faces', 'lorenz2019': 'faces', 'dff': 'puppets'}
CASES = {f'{m} {p}': (m, p, dict(n_parts=10), 1 if p == 'paper' else 5)
         for m in ('scops', 'imm', 'lorenz2019') for p in ('smoke', 'quick', 'paper')}
CASES.update({f'dff {p}': ('dff', p, dict(n_parts=10), 0) for p in ('smoke', 'quick')})
CASES['kpcrf K=25, 64 px'] = ('kpcrf', 'quick', {}, 5)

def _rss(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB -> MiB on Linux

def one_crf(n: int) -> dict:
    from partseg.methods.kpcrf import gaussian_unaries, crf_refine
    from partseg.data.worlds import get_world
    w = get_world('puppets', res=64); b = w.sample(range(8), 'test')
    kp = torch.rand(8, 25, 2) * 64
    p = gaussian_unaries(kp, 64, 64, 0.05)
    ts = []
    for _ in range(n):
        t0 = time.perf_counter(); crf_refine(b['image'], p); ts.append((time.perf_counter() - t0) / 8)
    return dict(name='kpcrf K=25, 64 px', res=64, batch=1, K=25, steps=0, step_s=statistics.median(ts), data_s=0.0, rss_mib=_rss(), n=n,
                note='per image')

def one(name: str) -> dict:
    from partseg.methods import get_method
    from partseg.data.pairs import make_source
    key, profile, ov, n = CASES[name]
    if key == 'kpcrf': return one_crf(n)
    torch.manual_seed(0)
    cls = get_method(key)
    m = cls(cls.Config.profile(profile, **ov)).train()
    src = make_source(WORLD[key], m.pairing, batch_size=m.cfg.batch_size, res=m.cfg.res, pair_cfg=m.pair_config())
    params = sum(p.numel() for p in m.parameters()) / 1e6
    if key == 'dff':   # feature collection per batch, then the NMF fit at the last step
        steps = m.cfg.steps; batches = [src(s) for s in range(steps)]; ts = []
        for s, b in enumerate(batches[:-1]):
            t0 = time.perf_counter(); m.training_step(b, s); ts.append(time.perf_counter() - t0)
        t0 = time.perf_counter(); m.training_step(batches[-1], steps - 1); t_fit = time.perf_counter() - t0
        return dict(name=name, res=m.cfg.res, batch=m.cfg.batch_size, K=m.cfg.n_parts, steps=steps,
                    step_s=statistics.median(ts) if ts else float('nan'), data_s=0.0, rss_mib=_rss(), n=len(ts), params_m=params,
                    note=f'NMF fit (last step) {t_fit:.2f} s', backbone=getattr(m, 'run_info', {}).get('backbone', ''))
    t_step, t_data, _, n_timed = time_steps(m, src, n)
    return dict(name=name, res=m.cfg.res, batch=m.cfg.batch_size, K=m.cfg.n_parts, steps=m.cfg.steps, step_s=t_step, data_s=t_data,
                rss_mib=_rss(), n=n_timed, params_m=params, note='', backbone=json.dumps(getattr(m, 'run_info', {}))[:80])

def main():
    rows = run_cases(__file__, CASES)
    md = [f"### Baselines: training step ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, CPU; "
          f"K = 10 on faces (DFF: puppets); forward + backward + optimizer; medians)", '',
          '| config | res | batch | K | params | ms / step | data / step | peak RSS | steps of the profile | est. training time | note |',
          '|---|---|---|---|---|---|---|---|---|---|---|']
    for r in rows:
        if 'error' in r: md.append(f"| {r['name']} | failed: {r['error']} | | | | | | | | | |"); continue
        est = r['steps'] * (r['step_s'] + r['data_s'])
        pm = f"{r['params_m']:.2f} M" if 'params_m' in r else '—'
        md.append(f"| {r['name']} | {r['res']} | {r['batch']} | {r['K']} | {pm} | {r['step_s'] * 1e3:.0f} | {r['data_s'] * 1e3:.0f} ms | "
                  f"{r['rss_mib']:.0f} MiB | {r['steps']} | {est / 60:.1f} min | {r.get('note', '')} |")
    md += ['', "Estimated training time = profile steps × (step + data); evaluation not included. The `paper` rows time one step "
           "of the paper's configuration on this CPU (the profile is meant for a GPU). Feature extractors: the documented "
           "substitutes when no ImageNet weights are present (see each method's notebook)."]
    out = Path(__file__).parent/'_out'; out.mkdir(exist_ok=True)
    (out/'baselines.md').write_text('\n'.join(md) + '\n'); print('\n'.join(md))

if __name__ == '__main__':
    if len(sys.argv) > 1: print(json.dumps(one(sys.argv[1])))
    else: main()
