"""siarohin2020 training-step cost: on this CPU (measured here) and on the GPU lent to issue 4 (read from
bench/siarohin2020_gpu.jsonl, transcribed from the device runs' JSON).

Run: .venv/bin/python bench/bench_siarohin2020.py   (writes bench/_out/siarohin2020.md; `make bench` assembles RESULTS.md)
Method (CPU): each configuration runs in its own subprocess (so max RSS is its own): build the method, render the video
pair batches first (not timed), then time forward + backward + Adam step of `training_step` over N steps after one warm-up
step and report the median; the perceptual loss (random-VGG19 fallback without ImageNet weights) is also timed alone.
GPU rows: s/step of whole `fit` runs (data rendered on the GPU, bf16 autocast), peak memory from
`torch.cuda.max_memory_allocated`; the device runs' lines are kept in bench/siarohin2020_gpu.jsonl.
"""
import json, os, platform, resource, statistics, sys, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from _steps import time_steps, run_cases

CASES = {  # name -> (profile, overrides, timed steps)
    'smoke': ('smoke', {}, 5),
    'quick': ('quick', {}, 5),
    'quick without the image path (eq. 5 alone)': ('quick', dict(gen_image_path=False), 5),
    'quick, segmentation at 64 px': ('quick', dict(seg_res=64), 3),
    'quick Naive': ('quick', dict(motion='none', bg_visibility=None), 3),
    'paper (1 step)': ('paper', {}, 1),
}

def one(name: str) -> dict:
    from partseg.methods.siarohin2020 import Siarohin2020, Siarohin2020Config
    from partseg.data.pairs import make_source
    profile, ov, n = CASES[name]
    torch.manual_seed(0)
    m = Siarohin2020(Siarohin2020Config.profile(profile, **ov)).train()
    src = make_source('faces', 'video', batch_size=m.cfg.batch_size, res=m.cfg.res, pair_cfg=m.pair_config())
    t_step, t_data, batches, n_timed = time_steps(m, src, n, keep_warmup=n == 1)
    tv = []
    for _ in range(min(n, 3)):
        xhat = torch.rand_like(batches[0]['image2'], requires_grad=True); t0 = time.perf_counter()
        m.rec_loss(xhat, batches[0]['image2']).backward(); tv.append(time.perf_counter() - t0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return dict(name=name, res=m.cfg.res, seg_res=m.cfg.seg_res, batch=m.cfg.batch_size, K=m.cfg.n_parts, steps=m.cfg.steps,
                step_s=t_step, data_s=t_data, vgg_s=statistics.median(tv), rss_mib=rss, n=n_timed,
                backbone=m.run_info['perceptual_backbone'], params_m=sum(p.numel() for p in m.parameters()) / 1e6)

def gpu_section(path: Path) -> list[str]:
    if not path.exists(): return []
    rows = [json.loads(l) for l in path.read_text().splitlines() if l.strip()]
    md = ['', '#### on the GPU lent to issue 4 (NVIDIA H100 80GB HBM3, torch 2.11, bf16 autocast; whole `fit` runs)', '',
          '| run | profile | res | batch | steps | s / step | peak GPU memory | note |', '|---|---|---|---|---|---|---|---|']
    for r in rows:
        md.append(f"| {r['name']} | {r['profile']} | {r['res']} | {r['batch']} | {r['steps']} | {r['s_per_step']:.3f} | "
                  f"{(str(r['peak_gib']) + ' GiB') if r.get('peak_gib') else '—'} | {r.get('note', '')} |")
    return md

def main():
    rows = run_cases(__file__, CASES)
    md = [f"### siarohin2020 training step ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, CPU, "
          f"faces videos; forward + backward + Adam; medians)", '',
          '| config | res / seg res | batch | K | params | s / step | of which perceptual loss (fwd+bwd) | data / step | peak RSS | steps of the profile | est. training time |',
          '|---|---|---|---|---|---|---|---|---|---|---|']
    for r in rows:
        if 'error' in r: md.append(f"| {r['name']} | failed: {r['error']} | | | | | | | | | |"); continue
        est = r['steps'] * (r['step_s'] + r['data_s'])
        md.append(f"| {r['name']} | {r['res']} / {r['seg_res']} | {r['batch']} | {r['K']} | {r['params_m']:.1f} M | {r['step_s']:.2f} | "
                  f"{r['vgg_s']:.2f} s ({r['vgg_s'] / r['step_s'] * 100:.0f} %) | {r['data_s'] * 1e3:.0f} ms | {r['rss_mib']:.0f} MiB | {r['steps']} | "
                  f"{est / 60:.0f} min |")
    bb = next((r['backbone'] for r in rows if 'backbone' in r), '?')
    md += ['', f"Perceptual backbone: `{bb}`. Estimated training time = profile steps × (step + data), evaluation not included. "
           "The quick reproduction trains 2 base runs (1 200 steps on `faces`, 2 000 on `puppets`) and 42 Table 1 rows "
           "fine-tuned from them for 50 steps each (`partseg list`), so ≈ 3 200 + 2 100 steps of the quick row on this CPU, plus "
           "the evaluations; the measured rebuild is in the rebuild record (bench/rebuild.md)."]
    md += gpu_section(Path(__file__).parent / 'siarohin2020_gpu.jsonl')
    out = Path(__file__).parent / '_out'; out.mkdir(exist_ok=True)
    (out / 'siarohin2020.md').write_text('\n'.join(md) + '\n'); print('\n'.join(md))

if __name__ == '__main__':
    if len(sys.argv) > 1: print(json.dumps(one(sys.argv[1])))
    else: main()
