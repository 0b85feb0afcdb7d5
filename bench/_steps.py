"""Shared by the method benchmarks: render the batches first, then time training steps."""
import statistics, time

def time_steps(method, source, n: int, keep_warmup: bool = False):
    """Render n + 1 batches of `source` (their time per batch is returned apart), then run forward + backward + Adam of
    `method.training_step` on each (a `manual_optimization` method steps its own optimizers inside it); returns (median seconds per step, seconds per batch of data, the batches, steps timed).
    The first step is a warm-up and not timed unless `keep_warmup`."""
    opts = method.configure_optimizers()
    manual = getattr(method, 'manual_optimization', False)     # the method steps its own optimizers (esser2019)
    opt = None if manual else opts['main']
    t0 = time.perf_counter(); batches = [source(s) for s in range(n + 1)]; t_data = (time.perf_counter() - t0) / (n + 1)
    times = []
    for s, b in enumerate(batches):
        t0 = time.perf_counter()
        out = method.training_step(b, s)
        if not manual: opt.zero_grad(set_to_none=True); out['loss'].backward(); opt.step()
        if s or keep_warmup: times.append(time.perf_counter() - t0)
    return statistics.median(times), t_data, batches, len(times)

def run_cases(script: str, names) -> list[dict]:
    "Run `python script NAME` for each case in its own subprocess (its own peak RSS); its last stdout line is the case's JSON."
    import json, subprocess, sys
    rows = []
    for name in names:
        r = subprocess.run([sys.executable, script, name], capture_output=True, text=True)
        if r.returncode: rows.append(dict(name=name, error=(r.stderr.strip().splitlines() or ['?'])[-1])); continue
        rows.append(json.loads(r.stdout.strip().splitlines()[-1])); print(rows[-1], flush=True)
    return rows
