"""Assemble bench/RESULTS.md from the sections the benchmark scripts wrote to bench/_out/ and the measured rebuild times (bench/rebuild.md)."""
import sys
from pathlib import Path
here = Path(__file__).parent
order = ['worlds.md', 'train_overhead.md', 'install_test.md', 'liu2021.md', 'siarohin2020.md', 'esser2019.md', 'esser2019_norm.md', 'ganseg2022.md', 'baselines.md', 'braun2020.md', 'eval.md']
missing = [n for n in order if not (here/'_out'/n).exists()]
if missing:   # bench/_out is not kept between machines: a partial run must not wipe the committed sections
    sys.exit(f"bench/assemble.py: bench/_out/ lacks {', '.join(missing)}; run `make bench` (every script) first. "
             f"bench/RESULTS.md was left as it is.")
parts = [(here/'_out'/n).read_text().strip() for n in order]
# measured by hand from `partseg reproduce` runs (hours of CPU, not a benchmark script): kept in git, appended as written
parts.append((here/'rebuild.md').read_text().strip())
head = """# Benchmarks

Measured with `make bench` on the project's CPU machine (2 cores, no GPU) unless a section names another device.
These machines are shared and noisy: every number is a median of several runs or a ratio.
Targets (issue 2): world generation >= 1000 images/s at 64² and >= 250 images/s at 128² in one process;
training-loop overhead < 5 % against a bare PyTorch loop; `make test` < 20 minutes after the install.
"""
(here/'RESULTS.md').write_text(head + '\n' + '\n\n'.join(parts) + '\n')
print((here/'RESULTS.md').read_text())
