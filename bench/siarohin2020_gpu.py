"""siarohin2020 `paper` profile on a GPU machine without papermill: train one run through the partseg CLI,
then draw its figures and copy its results to OUT.

    python bench/siarohin2020_gpu.py OUT [--world faces] [--steps N]

Writes OUT/metrics.json, OUT/config.json, OUT/stats.jsonl, OUT/segments.png (Fig. 4/5 style: images, segments,
overlays of test images), OUT/part_swap.png (Fig. 6 style: a clip, the source, the clip with the source's
hair/head segments) and OUT/reconstruction.png (source, target, X̂_T). Needs torch, kornia, fastprogress, fastcore."""
import argparse, json, shutil, subprocess, sys, time
from pathlib import Path
import torch, matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt

p = argparse.ArgumentParser(); p.add_argument('out'); p.add_argument('--world', default='faces'); p.add_argument('--steps', type=int, default=None)
p.add_argument('--device', default='cuda'); p.add_argument('--profile', default='paper')
a = p.parse_args()
out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
sets = [f'steps={a.steps}'] if a.steps else []
t = time.time()
cmd = [sys.executable, '-m', 'partseg', 'train', '--method', 'siarohin2020', '--world', a.world, '--profile', a.profile, '--no-notebook',
       '--device', a.device, '--ckpt-every', '1000'] + (['--set', *sets] if sets else [])
print(' '.join(cmd), flush=True)
r = subprocess.run(cmd, capture_output=True, text=True)
print(r.stdout[-3000:], r.stderr[-3000:], flush=True)
run = Path([l for l in r.stdout.splitlines() if l.startswith('run directory:')][0].split(': ', 1)[1])
wall = time.time() - t
for f in ('metrics.json', 'config.json', 'stats.jsonl'): shutil.copy(run / f, out / f)

from partseg.train import load_method
from partseg.data.worlds import get_world
from partseg.viz import overlay, show_grid, labels_to_rgb
from partseg.methods.siarohin2020 import segments_of
m = load_method(run, a.device)
w = get_world(a.world, seed=0, res=m.cfg.res, device=a.device)
b = w.sample(range(8), 'test')
with torch.no_grad(): seg = m.segment(b['image'])
show_grid([b['image'].cpu(), labels_to_rgb(seg.argmax(1).cpu()), overlay(b['image'], seg).cpu()], titles=['test image', 'segments', 'overlay'])
plt.savefig(out / 'segments.png', dpi=80, bbox_inches='tight'); plt.close('all')
clip = {k: v[0] for k, v in w.clip([3], T=6, split='test', step=20).items()}
src = w.sample([11], 'test')
gt_ids = [w.part_names.index(n) for n in (('hair',) if a.world == 'faces' else ('head', 'torso'))]
parts = segments_of(m, clip['image'], clip['parts'], gt_ids, share=0.5) or [1]
with torch.no_grad():
    sw = m.part_swap(src['image'], clip['image'], parts)
    rec = m.reconstruct(src['image'].expand(6, -1, -1, -1), clip['image'])
show_grid([clip['image'].cpu(), overlay(clip['image'], m.segment(clip['image'])).cpu(), sw.float().cpu(), rec.float().cpu()],
          titles=['target clip', 'segments', f'swapped {parts} from source', 'reconstruction from source'])
plt.savefig(out / 'part_swap.png', dpi=80, bbox_inches='tight'); plt.close('all')
show_grid([src['image'].cpu()], titles=['source']); plt.savefig(out / 'part_swap_source.png', dpi=80, bbox_inches='tight'); plt.close('all')
info = dict(run=str(run), wall_s=round(wall, 1), swapped_segments=parts, device=torch.cuda.get_device_name() if torch.cuda.is_available() else 'cpu',
            torch=torch.__version__)
json.dump(info, open(out / 'device_run.json', 'w'), indent=1); print(json.dumps(info))
