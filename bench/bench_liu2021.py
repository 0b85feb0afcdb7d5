"""liu2021 training-step cost on this CPU: median time per step and peak memory for the smoke / quick / paper configs.

Run: .venv/bin/python bench/bench_liu2021.py   (writes bench/_out/liu2021.md; `make bench` assembles RESULTS.md)
Method: each configuration runs in its own subprocess (so max RSS is its own): build the method, render the TPS pair
batches first (not timed in the step), then time forward + backward + Adam step of `training_step` over N steps after
one warm-up step, and report the median. The share of the perceptual loss (random-VGG19 fallback when no ImageNet
weights are present) is measured as its own forward + backward on the same (2B,3,res,res) reconstruction.
"""
import json, os, platform, resource, statistics, sys, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from _steps import time_steps, run_cases

# name -> (profile, overrides, timed steps)
PAPER_NETS = dict(appearance_backbone='resnet34', decoder_width=256, init_std=0.01)   # quick at the paper's networks
CASES = {
    'smoke': ('smoke', {}, 5),
    'quick': ('quick', {}, 5),
    'quick K=4': ('quick', dict(n_parts=4), 3),
    'quick w/o L_rec': ('quick', dict(use_rec=False), 3),
    'quick, pixel L_rec (rec_loss=pixel)': ('quick', dict(rec_loss='pixel'), 5),
    'quick, paper networks (ResNet-34 E_a, decoder 256)': ('quick', PAPER_NETS, 3),
    'quick, paper networks, batch 8': ('quick', dict(PAPER_NETS, batch_size=8), 3),
    'paper (1 step)': ('paper', {}, 1),
}

def one(name: str) -> dict:
    from partseg.methods.liu2021 import Liu2021, Liu2021Config
    from partseg.data.pairs import make_source
    profile, ov, n = CASES[name]
    torch.manual_seed(0)
    m = Liu2021(Liu2021Config.profile(profile, **ov)).train()
    src = make_source('faces', 'tps', batch_size=m.cfg.batch_size, res=m.cfg.res, pair_cfg=m.pair_config())
    t_step, t_data, batches, n_timed = time_steps(m, src, n)
    t_vgg = None
    if m.rec_loss is not None:   # the perceptual loss alone: forward + backward on a (2B,3,res,res) reconstruction
        x = torch.cat([batches[0]['image'], batches[0]['image2']]); tv = []
        for _ in range(min(n, 3)):
            xhat = torch.rand_like(x, requires_grad=True); t0 = time.perf_counter()
            m.rec_loss(xhat, x).backward(); tv.append(time.perf_counter() - t0)
        t_vgg = statistics.median(tv)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB -> MiB on Linux
    return dict(name=name, res=m.cfg.res, batch=m.cfg.batch_size, K=m.cfg.n_parts, steps=m.cfg.steps, step_s=t_step,
                data_s=t_data, vgg_s=t_vgg, rss_mib=rss, n=n_timed, backbone=m.run_info['perceptual_backbone'],
                params_m=sum(p.numel() for p in m.parameters()) / 1e6)

def main():
    rows = run_cases(__file__, CASES)
    md = [f"### liu2021 training step ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, CPU, "
          f"faces world, TPS pairs; forward + backward + Adam; medians)", '',
          '| config | res | batch | K | params | ms / step | of which perceptual loss (fwd+bwd) | data / step | peak RSS | steps of the profile | est. training time |',
          '|---|---|---|---|---|---|---|---|---|---|---|']
    for r in rows:
        if 'error' in r: md.append(f"| {r['name']} | failed: {r['error']} | | | | | | | | | |"); continue
        vgg = f"{r['vgg_s'] * 1e3:.0f} ms ({r['vgg_s'] / r['step_s'] * 100:.0f} %)" if r['vgg_s'] else '—'
        est = r['steps'] * (r['step_s'] + r['data_s'])
        md.append(f"| {r['name']} | {r['res']} | {r['batch']} | {r['K']} | {r['params_m']:.1f} M | {r['step_s'] * 1e3:.0f} | {vgg} | {r['data_s'] * 1e3:.0f} ms | "
                  f"{r['rss_mib']:.0f} MiB | {r['steps']} | {est / 60:.1f} min |")
    bb = next((r['backbone'] for r in rows if 'backbone' in r), '?')
    md += ['', f"Perceptual backbone: `{bb}`; parameters include the decoder and ArcFace (not the fixed VGG). "
           "Estimated training time = profile steps × (step + data); evaluation not included. `quick` uses a ResNet-18 E_a "
           "and a decoder of width 128 (see `nbs/12_methods.liu2021.ipynb`); the 'paper networks' rows are the quick "
           "training at the paper's networks."]
    out = Path(__file__).parent/'_out'; out.mkdir(exist_ok=True)
    (out/'liu2021.md').write_text('\n'.join(md) + '\n'); print('\n'.join(md))

if __name__ == '__main__':
    if len(sys.argv) > 1: print(json.dumps(one(sys.argv[1])))
    else: main()
