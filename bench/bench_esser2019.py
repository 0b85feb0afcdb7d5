"""esser2019 training-step cost on this CPU: the model (E_π, E_α, D, the marginal decoders D_π, D_α) and the
classifiers T, T′ — one step is the whole alternation of §3.5 (classifier step, model step, multiplier updates).

Run: .venv/bin/python bench/bench_esser2019.py   (writes bench/_out/esser2019.md; `make bench` assembles RESULTS.md)
     .venv/bin/python bench/bench_esser2019.py norms   (bench/_out/esser2019_norm.md: fitting speed with/without BatchNorm)
Method: each configuration in its own subprocess (its own peak RSS); build the method, render the `puppets` frame-pair
batches first (not timed), time `training_step` over N steps after one warm-up step, report the median. The classifier
step alone is timed on the same codes.
"""
import json, platform, resource, statistics, sys, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from _steps import time_steps, run_cases

CASES = {  # name -> (profile, overrides, timed steps)
    'smoke': ('smoke', {}, 5),
    'quick': ('quick', {}, 5),
    'quick, no marginal decoders': ('quick', dict(marginals=False), 5),
    'quick, posesup': ('quick', dict(pose_input='keypoints', n_keypoints=14, use_mi_loss=False, gamma_rule='zero'), 5),
    'paper (1 step)': ('paper', {}, 1),
}

def one(name: str) -> dict:
    from partseg.methods.esser2019 import Esser2019, Esser2019Config
    from partseg.data.pairs import make_source
    profile, ov, n = CASES[name]
    torch.manual_seed(0)
    m = Esser2019(Esser2019Config.profile(profile, **ov)).train()
    src = make_source('puppets', 'video', batch_size=m.cfg.batch_size, res=m.cfg.res, pair_cfg=m.pair_config())
    t_step, t_data, batches, n_timed = time_steps(m, src, n, keep_warmup=n == 1)
    with torch.no_grad():
        pi, alpha = m.encode_pose(batches[0]['image2'], batches[0]['keypoints2'])[0], m.encode_appearance(batches[0]['image'])
    tc = []
    for _ in range(3):
        t0 = time.perf_counter(); m.mi.train_classifiers(pi, alpha, m.opts['mi']); tc.append(time.perf_counter() - t0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return dict(name=name, res=m.cfg.res, batch=m.cfg.batch_size, steps=m.cfg.steps, step_s=t_step, data_s=t_data,
                cls_s=statistics.median(tc), rss_mib=rss, n=n_timed, params_m=sum(p.numel() for p in m.parameters()) / 1e6,
                mi_params_m=sum(p.numel() for p in m.mi.parameters()) / 1e6)

def main():
    rows = run_cases(__file__, CASES)
    md = [f"### esser2019 training step ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, CPU, "
          f"puppets frame pairs; one alternation of §3.5; medians)", '',
          '| config | res | batch | params (of which T, T′) | s / step | of which T, T′ step | data / step | peak RSS | steps of the profile | est. training time |',
          '|---|---|---|---|---|---|---|---|---|---|']
    for r in rows:
        if 'error' in r: md.append(f"| {r['name']} | failed: {r['error']} | | | | | | | | |"); continue
        est = r['step_s'] * r['steps']
        md.append(f"| {r['name']} | {r['res']} | {r['batch']} | {r['params_m']:.2f} M ({r['mi_params_m']:.2f} M) | {r['step_s']:.3f} s | "
                  f"{r['cls_s']:.4f} s | {r['data_s']:.3f} s | {r['rss_mib']:.0f} MiB | {r['steps']} | "
                  f"{est / 60:.0f} min ({est / 3600:.1f} h) |")
    md += ['', 'The `quick` profile runs 9 experiments (`partseg list experiments | grep esser2019`): 6 with the marginal decoders '
           '(Table 1\'s five rows and birds) and 3 without (bvae, posesup, faces). The list has 5 more, `esser2019/deepfashion-*`: '
           'real-only, they run in `paper` with DeepFashion present and are skipped in `quick`.']
    # the measured cost of the last `partseg reproduce --profile quick --only esser2019` on this checkout, if it exists
    runs = sorted((Path(__file__).parent.parent / 'runs' / 'quick' / 'esser2019').glob('*/seed0/metrics.json'))
    if runs:
        ms = [(p.parent.parent.name, json.loads(p.read_text())) for p in runs]
        tr, ev = sum(m.get('train_seconds', 0) for _, m in ms), sum(m.get('eval_seconds', 0) for _, m in ms)
        md += ['', f"Measured in the last quick reproduction of this checkout ({len(ms)} runs, `train_seconds` + `eval_seconds` "
               f"of each run's metrics.json): {tr / 60:.1f} min of training and {ev / 60:.1f} min of evaluation in all, i.e. about "
               f"{(tr + ev) / 120:.0f} min of wall time with `--jobs 2` on the 2-core CPU, synthetic worlds (two runs share the CPU, so each run's seconds "
               f"are those of a loaded machine). Per run: " + ', '.join(f"{k} {m.get('train_seconds', 0):.0f} s" for k, m in ms) + '.']
    out = Path(__file__).parent/'_out'; out.mkdir(exist_ok=True)
    (out/'esser2019.md').write_text('\n'.join(md) + '\n'); print('\n'.join(md))

NORMS = {'none': ('none', 'none'), 'decoders only': ('none', 'batch'), 'everywhere': ('batch', 'batch')}  # the default is 'none' (see nbs/14)

def overfit(enc_norm: str, dec_norm: str, steps: int = 200) -> list:
    "Summed squared error per image while fitting one fixed batch of 16 puppets pairs (quick size, lr 5e-4 constant, γ = 0)."
    from partseg.methods.esser2019 import Esser2019, Esser2019Config
    from partseg.data.pairs import make_source
    torch.manual_seed(0)
    m = Esser2019(Esser2019Config.profile('quick', use_mi_loss=False, gamma_rule='zero', marginals=False, lr_decay=False,
                                          enc_norm=enc_norm, dec_norm=dec_norm, steps=steps)).train()
    m.configure_optimizers()
    b = make_source('puppets', 'video', batch_size=m.cfg.batch_size, res=m.cfg.res, pair_cfg=m.pair_config())(0)
    return [float(m.training_step(b, s)['rec']) for s in range(steps)]

def norms():
    "How fast the quick-size esser2019 model fits one batch with and without BatchNorm (`enc_norm`, `dec_norm`)."
    md = [f'### esser2019: normalization and fitting speed (quick size, one fixed batch of 16 synthetic `puppets` pairs, CPU ({platform.machine()}), '
          'lr 5e-4 constant, γ = 0, seed 0)', '', '| BatchNorm | SSE / image at step 0 | 50 | 100 | 200 |', '|---|---|---|---|---|']
    for name, (e, d) in NORMS.items():
        l = overfit(e, d); md.append(f"| {name} | {l[0]:.1f} | {l[50]:.1f} | {l[100]:.1f} | {l[-1]:.1f} |")
    out = Path(__file__).parent/'_out'; out.mkdir(exist_ok=True)
    (out/'esser2019_norm.md').write_text('\n'.join(md) + '\n'); print('\n'.join(md))

if __name__ == '__main__':
    if sys.argv[1:] == ['norms']: norms()
    elif len(sys.argv) > 1: print(json.dumps(one(sys.argv[1])))
    else: main()
