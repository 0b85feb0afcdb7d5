"""The training loop's own overhead per step: partseg.train.fit against a bare PyTorch loop, same model, data, optimizer.

Run: .venv/bin/python bench/bench_train_overhead.py   (writes bench/_out/train_overhead.md; `make bench` assembles RESULTS.md)
Method: alternate bare / fit runs of STEPS steps, REPS times each, and compare medians of the time per step.
"""
import contextlib, os, sys, tempfile, time, statistics, platform
from dataclasses import dataclass
from pathlib import Path
import torch
from torch import nn
from partseg.methods import Method, MethodConfig
from partseg.train import fit
from partseg.core import step_seed

STEPS, REPS, B, RES = 60, 5, 16, 64

@dataclass
class _Cfg(MethodConfig):
    lr: float = 1e-3

class ConvNet(Method):
    "A small encoder-decoder, about the cost of a quick-profile segmenter step on the CPU."
    key = '_bench'; Config = _Cfg
    def __init__(self, cfg=None, **kw):
        super().__init__(cfg, **kw)
        c = 32
        self.net = nn.Sequential(nn.Conv2d(3, c, 3, 2, 1), nn.ReLU(), nn.Conv2d(c, 2 * c, 3, 2, 1), nn.ReLU(),
                                 nn.ConvTranspose2d(2 * c, c, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(c, 3, 4, 2, 1))
    def training_step(self, batch, step):
        return {'loss': (self.net(batch['image']) - batch['image']).pow(2).mean()}

images = torch.rand(8, B, 3, RES, RES)
def data(step): return {'image': images[step % 8]}

def bare(m, steps):
    opt = torch.optim.Adam(m.parameters(), lr=1e-3); t0 = time.perf_counter()
    for s in range(steps):
        torch.manual_seed(step_seed(0, s, 3))
        loss = m.training_step(data(s), s)['loss']
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    return (time.perf_counter() - t0) / steps

def with_fit(m, steps, run_dir=None):
    "fit with its progress bar on (printed to /dev/null: the cost of drawing it is counted, not shown)."
    with open(os.devnull, 'w') as null, contextlib.redirect_stdout(null), contextlib.redirect_stderr(null):
        t0 = time.perf_counter(); fit(m, data, steps=steps, run_dir=run_dir, progress=True, log_every=10, ckpt_every=10**9, device='cpu')
        return (time.perf_counter() - t0) / steps

def main():
    torch.manual_seed(0)
    bare(ConvNet(), 10); with_fit(ConvNet(), 10)  # warm-up
    tb, tf, tr = [], [], []
    with tempfile.TemporaryDirectory() as d:
        for r in range(REPS):
            tb.append(bare(ConvNet(), STEPS)); tf.append(with_fit(ConvNet(), STEPS))
            tr.append(with_fit(ConvNet(), STEPS, Path(d)/f'r{r}'))
    mb, mf, mr = map(statistics.median, (tb, tf, tr))
    rows = [('bare PyTorch loop', mb, 0.0), ('fit (progress bar, logging, NaN check)', mf, mf / mb - 1),
            ('fit + run directory (stats.jsonl, final checkpoint)', mr, mr / mb - 1)]
    md = [f"### Training-loop overhead ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, "
          f"CPU, batch {B} × 3 × {RES}², {STEPS} steps × {REPS} repetitions, medians)", '',
          '| loop | ms / step | overhead vs bare |', '|---|---|---|']
    md += [f"| {n} | {t * 1e3:.2f} | {o * 100:+.1f} % |" for n, t, o in rows]
    out = Path(__file__).parent/'_out'; out.mkdir(exist_ok=True)
    (out/'train_overhead.md').write_text('\n'.join(md) + '\n'); print('\n'.join(md))

if __name__ == '__main__': main()
