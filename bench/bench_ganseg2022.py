"""ganseg2022 cost on this CPU: GAN step (D + G update), generator throughput (image–mask pairs per second),
segmenter step, peak memory.

Run: .venv/bin/python bench/bench_ganseg2022.py   (writes bench/_out/ganseg2022.md; `make bench` assembles RESULTS.md)
Method: each case runs in its own subprocess (so max RSS is its own) with the threads torch picks; the batches are
rendered first (not timed); a GAN step is `training_step` (one generated batch, D update, G update) timed over N steps
after a warm-up step, median reported. Steps where the gradient penalty (every 16th) or L_con/L_area (every 2nd) apply
are timed as their own rows by forcing gp_every=1 / con_every=1. Pairs per second: `generate(batch)` (eval mode, no
gradients), median of N calls. Segmenter step: `segmenter_step(batch)` (generation included, as in training).
"""
import json, platform, resource, statistics, sys, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from _steps import run_cases

CASES = {  # name -> (profile, overrides, what, timed repetitions)
    'quick GAN step': ('quick', dict(gp_every=0, con_every=0), 'gan', 7),
    'quick GAN step + L_con, L_area': ('quick', dict(gp_every=0, con_every=1), 'gan', 7),
    'quick GAN step + gradient penalty': ('quick', dict(gp_every=1, con_every=0), 'gan', 7),
    'quick generator, pairs/s (batch 64)': ('quick', {}, 'gen64', 5),
    'quick segmenter step (U-Net)': ('quick', {}, 'seg', 7),
    'quick segmenter step (DeepLabV3-ResNet50)': ('quick', dict(segmenter='deeplabv3_resnet50'), 'seg', 3),
    'paper GAN step, batch 4 (1 step)': ('paper', dict(batch_size=4, gp_every=0), 'gan', 1),
    'paper segmenter step, batch 4 (1 step)': ('paper', dict(batch_size=4), 'seg', 1),
}

def one(name: str) -> dict:
    from partseg.methods.ganseg2022 import Ganseg2022, Ganseg2022Config
    from partseg.data.pairs import make_source
    profile, ov, what, n = CASES[name]
    torch.manual_seed(0)
    m = Ganseg2022(Ganseg2022Config.profile(profile, **ov)).train(); m.configure_optimizers()
    c = m.cfg
    times = []
    if what == 'gan':
        src = make_source('faces', 'single', batch_size=c.batch_size, res=c.res)
        batches = [src(s) for s in range(n + 1)]
        for s, b in enumerate(batches):
            t0 = time.perf_counter(); m.training_step(b, s); dt = time.perf_counter() - t0
            if s: times.append(dt)          # the first call is a warm-up
        per, unit = statistics.median(times), 's / step'
    elif what == 'gen64':
        for s in range(n + 1):
            t0 = time.perf_counter(); m.generate(64); dt = time.perf_counter() - t0
            if s: times.append(dt)
        per, unit = 64 / statistics.median(times), 'pairs / s'
    else:
        for s in range(n + 1):
            t0 = time.perf_counter(); m.segmenter_step(c.batch_size); dt = time.perf_counter() - t0
            if s: times.append(dt)          # the first call is a warm-up
        per, unit = statistics.median(times), 's / step'
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return dict(name=name, profile=profile, res=c.res, batch=64 if what == 'gen64' else c.batch_size, value=per, unit=unit,
                rss_mib=rss, n=len(times), g_m=sum(p.numel() for p in m.G.parameters()) / 1e6,
                d_m=sum(p.numel() for p in m.D.parameters()) / 1e6, seg_m=sum(p.numel() for p in m.seg.parameters()) / 1e6,
                gan_steps=c.gan_steps, seg_steps=c.steps - c.gan_steps)

def main():
    rows = run_cases(__file__, CASES)
    md = [f"### ganseg2022 ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, CPU, synthetic faces; medians)", '',
          '| case | res | batch | G / D / segmenter params | value | peak RSS | timed |', '|---|---|---|---|---|---|---|']
    for r in rows:
        if 'error' in r: md.append(f"| {r['name']} | failed: {r['error']} | | | | | |"); continue
        v = f"{r['value']:.3f} {r['unit']}" if r['unit'] != 'pairs / s' else f"{r['value']:.0f} {r['unit']}"
        md.append(f"| {r['name']} | {r['res']} | {r['batch']} | {r['g_m']:.2f} M / {r['d_m']:.2f} M / {r['seg_m']:.2f} M | {v} | "
                  f"{r['rss_mib']:.0f} MiB | {r['n']} |")
    q = {r['name']: r for r in rows if 'error' not in r}
    try:
        g, gp, con, seg = (q[k]['value'] for k in ('quick GAN step', 'quick GAN step + gradient penalty',
                                                   'quick GAN step + L_con, L_area', 'quick segmenter step (U-Net)'))
        r0 = q['quick GAN step']
        per_gan = g + (gp - g) / 16 + (con - g) / 2      # gp every 16th, L_con/L_area every 2nd step
        est = r0['gan_steps'] * per_gan + r0['seg_steps'] * seg
        md += ['', f"Estimated quick run (training only, one process): {r0['gan_steps']} GAN steps × {per_gan:.3f} s + "
               f"{r0['seg_steps']} segmenter steps × {seg:.3f} s ≈ {est / 60:.1f} min. The `paper` rows are single steps at "
               "batch 4 (the paper's batch is 64), to show the order of magnitude only: the paper profile is for a GPU."]
    except KeyError: pass
    out = Path(__file__).parent / '_out'; out.mkdir(exist_ok=True)
    (out / 'ganseg2022.md').write_text('\n'.join(md) + '\n'); print('\n'.join(md))

if __name__ == '__main__':
    if len(sys.argv) > 1: print(json.dumps(one(sys.argv[1])))
    else: main()
