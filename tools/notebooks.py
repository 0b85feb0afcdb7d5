"""Keep the outputs of the notebooks in `nbs/` (not `nbs/paper/`, `nbs/experiments/`) current, and check that they are.

    python tools/notebooks.py update [NOTEBOOK ...]          # `make notebooks`: execute in place, keep the outputs
    python tools/notebooks.py check  [NOTEBOOK ...] [--n_workers N]   # `make test`: execute, fail on an error or on stale outputs

Cells are skipped exactly as `nbdev_test` skips them (`#| slow`, `#| gpu`, `#| eval: false`, `nbdev_export(`), and a
skipped cell keeps no output. `check` replaces `nbdev_test` in `make test`: it executes every notebook once, fails on
any exception, and then compares the fresh outputs with the stored ones under the rule in `compare` below.
"""
from __future__ import annotations
import argparse, base64, io, json, multiprocessing, os, re, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT/'nbs'
SKIP_FLAGS = {'slow', 'gpu'}            # settings.ini's tst_flags: what nbdev_test skips
PNG_WIDTH, PNG_COLORS, JPEG_QUALITY = 700, 256, 80   # stored pictures: at most this wide; a palette of this many colours, or a JPEG (the repository stays small)
TEXT_MIMES = ('text/plain', 'text/markdown', 'text/html', 'text/latex')
WIDGET_MIME = 'application/vnd.jupyter.widget-view+json'
NUMBER = re.compile(r'[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?')
TIMING = re.compile(r"(['\"]?\w*(?:seconds|time)\w*['\"]?\s*[:=]\s*)[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?"   # 'seconds': 7.49, time=3.2
                    r"|[-+]?\d+(?:\.\d*)?(?:\s*)(?=(?:images|it|steps)/s\b|\s*s/step\b|\s*ms\b)")                  # 669 images/s, 0.5 s/step, 12 ms
VOLATILE = re.compile(r'0x[0-9a-f]+|\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?|/[\w./-]*?/(nbs|partseg|runs|tmp)/[\w./-]*')   # addresses, timestamps, absolute paths

def notebooks(paths=()) -> list[Path]:
    "The notebooks to keep: those given, else every `nbs/*.ipynb` (the paper and experiment notebooks are papermill's, kept output-free)."
    return [Path(p).resolve() for p in paths] if paths else sorted(NBS.glob('*.ipynb'))

def directives(source: str) -> dict:
    "The `#|` directives at the top of a cell: {'slow': [], 'eval:': ['false'], ...}."
    out = {}
    for line in source.splitlines():
        s = line.strip()
        if not s: continue
        if not s.startswith('#|'): break
        toks = s[2:].split()
        if toks: out[toks[0]] = toks[1:]
    return out

def skipped(cell) -> bool:
    "Whether `nbdev_test` would skip `cell` (so `make notebooks` leaves it without output)."
    if cell.cell_type != 'code': return True
    if 'nbdev_export' + '(' in cell.source: return True
    d = directives(cell.source)
    return d.get('eval:', [''])[0].lower() == 'false' or bool(SKIP_FLAGS & d.keys())

def slim_output(o: dict) -> dict:
    "A display output with its PNG scaled to at most `PNG_WIDTH`, stored as the smallest of the PNG, a palette PNG and a JPEG (`partseg.batch.slim_output`, as the executed paper notebooks)."
    from partseg.batch import slim_output as slim
    return slim(o, max_width=PNG_WIDTH, colors=PNG_COLORS, jpeg_quality=JPEG_QUALITY)

def execute(path: Path):
    "Execute notebook `path` as nbdev_test does (its folder as the working directory); the notebook with fresh outputs, and the error (None when it ran)."
    from execnb.nbio import read_nb
    from execnb.shell import CaptureShell
    os.environ['IN_TEST'] = '1'
    nb = read_nb(path)
    sh = CaptureShell(path)
    old = os.getcwd(); os.chdir(path.parent)
    try:
        for c in nb.cells:
            if c.cell_type == 'code':
                c.outputs = []
                if 'execution_count' in c: c.execution_count = None
        sh.run_all(nb, exc_stop=True, preproc=skipped)
        err = None
    except Exception:
        err = sh.prettytb(fname=path)
    finally: os.chdir(old)
    for c in nb.cells:
        if c.cell_type == 'code': c.outputs = [slim_output(_plain(o)) for o in c.get('outputs', [])]
    return nb, err

def _plain(o) -> dict:
    "An execnb output (AttrDict) as plain JSON, its execution count None (as nbdev_clean leaves it; nbformat requires the key)."
    o = json.loads(json.dumps(o))
    if o.get('output_type') == 'execute_result': o['execution_count'] = None
    return o

def texts(outputs: list) -> list[tuple]:
    "What `compare` compares of a cell's outputs: per output its type, its mime types (pictures by presence only) and its text."
    out = []
    for o in outputs:
        t = o.get('output_type')
        if t == 'stream':
            if o.get('name') == 'stderr': continue   # warnings: they name paths and line numbers of the machine
            out.append(('stream', (), ''.join(o.get('text', ''))))
        elif t in ('display_data', 'execute_result'):
            d = o.get('data', {})
            txt = '' if WIDGET_MIME in d else '\n'.join(''.join(d[m]) if isinstance(d[m], list) else d[m] for m in TEXT_MIMES if m in d)
            out.append(('display', tuple(sorted({'image' if m.startswith('image/') else m for m in d})), txt))
        elif t == 'error': out.append(('error', (), o.get('ename', '')))
    return out

def _numbers_close(a: str, b: str, rtol: float, atol: float) -> bool:
    na, nb_ = NUMBER.findall(a), NUMBER.findall(b)
    if NUMBER.sub('#', a) != NUMBER.sub('#', b) or len(na) != len(nb_): return False
    return all(abs(float(x) - float(y)) <= atol + rtol * max(abs(float(x)), abs(float(y))) for x, y in zip(na, nb_))

def compare(stored, fresh, rtol: float = 0.02, atol: float = 1e-3) -> list[str]:
    """Where `fresh` outputs differ from `stored`, as messages (empty: current). The rule, per code cell that runs:
    the same outputs in the same order, each of the same kind with the same mime types (a picture must still be
    there, its pixels are not compared: fonts and BLAS differ between machines); texts (stdout, text/plain, markdown,
    HTML) equal once addresses, timestamps, absolute paths and timings (values of fields named *seconds* or *time*,
    rates per second, seconds per step) are masked, with every number within 2 % or 1e-3 of the
    stored one (seeded CPU runs repeat to the last digit on one machine; the tolerance absorbs another CPU's BLAS).
    stderr (warnings) and widget views (a new model id each run) are not compared. A cell marked `# output varies`
    (a picture of whichever trained run is on disk, say) is only checked to run."""
    msgs = []
    sc = [c for c in stored.cells if c.cell_type == 'code']; fc = [c for c in fresh.cells if c.cell_type == 'code']
    if len(sc) != len(fc): return [f'{len(sc)} code cells stored, {len(fc)} executed']
    for i, (s, f) in enumerate(zip(sc, fc)):
        if skipped(f) or '# output varies' in f.source: continue
        a, b = texts(s.get('outputs', [])), texts(f.get('outputs', []))
        where = f"code cell {i + 1} ({f.source.strip().splitlines()[0][:60] if f.source.strip() else 'empty'})"
        if [x[:2] for x in a] != [x[:2] for x in b]:
            msgs.append(f"{where}: outputs {[x[:2] for x in a]} stored, {[x[:2] for x in b]} now"); continue
        for (k, _, ta), (_, _, tb) in zip(a, b):
            ta, tb = (VOLATILE.sub('~', TIMING.sub(lambda m: (m.group(1) or '') + '~', t)) for t in (ta, tb))
            if ta != tb and not _numbers_close(ta, tb, rtol, atol):
                msgs.append(f"{where}: {k} output differs:\n    stored: {ta.strip()[:300]!r}\n    now:    {tb.strip()[:300]!r}")
    return msgs

def save(nb, path: Path):
    "Write `nb` (execnb's) to `path` as nbformat JSON."
    from execnb.nbio import write_nb
    write_nb(nb, path)

def _update(path: str):
    t0 = time.time(); nb, err = execute(Path(path))
    if err is None: save(nb, Path(path))
    return path, err, time.time() - t0

def _check(path: str):
    from execnb.nbio import read_nb
    t0 = time.time(); nb, err = execute(Path(path))
    msgs = [] if err else compare(read_nb(Path(path)), nb)
    return path, err, msgs, time.time() - t0

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('command', choices=('update', 'check'))
    ap.add_argument('notebooks', nargs='*')
    ap.add_argument('--n_workers', type=int, default=1)
    a = ap.parse_args(argv)
    paths = [str(p) for p in notebooks(a.notebooks)]
    bad = 0
    # a fresh interpreter per notebook: no state (RNG, imports, environment) carries from one notebook to the next
    with ProcessPoolExecutor(max(1, a.n_workers), mp_context=multiprocessing.get_context('spawn'), max_tasks_per_child=1) as ex:
        for r in ex.map(_update if a.command == 'update' else _check, paths):
            name = Path(r[0]).relative_to(ROOT)
            if r[1]: bad += 1; print(f"FAILED {name}:\n{r[1]}", file=sys.stderr); continue
            if a.command == 'check' and r[2]:
                bad += 1; print(f"STALE {name}: its stored outputs are not what it prints now (run `make notebooks`, then commit):", file=sys.stderr)
                for m in r[2]: print(f"  {m}", file=sys.stderr)
                continue
            print(f"{'updated' if a.command == 'update' else 'ok'} {name} ({r[-1]:.0f} s)")
    if a.command == 'update' and not bad:
        subprocess_run([str(Path(sys.executable).with_name('nbdev_clean'))])
    print(f"{len(paths) - bad} of {len(paths)} notebooks {'updated' if a.command == 'update' else 'current'}" + (f"; {bad} failed" if bad else ''))
    return 1 if bad else 0

def subprocess_run(cmd):
    import subprocess
    subprocess.run(cmd, cwd=ROOT, check=True)

if __name__ == '__main__': sys.exit(main())
