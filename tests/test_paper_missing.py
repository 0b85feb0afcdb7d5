"""The paper notebooks when runs are missing: every table, figure page and finding they write names the missing runs
(and the command that trains them) instead of printing an empty number, 'nan', or a verdict computed from nothing."""
import re, time
from pathlib import Path
import pytest

NOTEBOOKS = ['baselines_tables', 'benchmark_baselines', 'braun2020_figures', 'braun2020_tables', 'esser2019_figures',
             'esser2019_tables', 'ganseg2022_figures', 'ganseg2022_tables', 'liu2021_figures', 'liu2021_tables',
             'siarohin2020_figures', 'siarohin2020_tables', 'all_leaderboard', 'all_learning_curves']

# an empty number slot or a value that is not one, in a line of prose
PROSE_FAULTS = {
    'nan': r'(?i)(?<![\w/-])[+-]?nan\b', 'None': r'\bNone\b', 'inf': r'(?<![\w/-])[+-]?inf\b',
    'two spaces': r'\S {2,}\S', 'space before ; , or :': r' [;,:]', 'nothing after a colon or parenthesis': r'[:(]\s*[;,.)]',
    'missing value in parentheses': r'\(\s*—\s*\)', 'missing value with a unit': r'—\s*%', '± a missing value': r'±\s*—|—\s*±',
    'missing value in a list': r'[:,]\s*—\s*[;,.]', '0 of 0': r'\b0 of 0\b'}
# a table cell that is not a number or '—'
TABLE_FAULTS = {k: PROSE_FAULTS[k] for k in ('nan', 'None', 'inf', 'missing value with a unit', '± a missing value')}
# a verdict counted from nothing (every run missing)
VERDICT_FAULTS = {'a count of zero': r'\b0 of \d+', 'every measured': r'every measured'}
RUN = r'\b[a-z0-9]+/[\w.=-]+ seed \d+\b'                     # a run, as `missing_runs` names it
CMD = r'`partseg reproduce --profile smoke --only \w+`'       # the command that trains it

def faults(md: Path, all_missing: bool = True) -> list[str]:
    "What is wrong with a written markdown artifact: empty number slots, findings that do not name their missing runs, dead picture links."
    text, out = md.read_text(), []
    for i, line in enumerate(text.splitlines(), 1):
        checks = TABLE_FAULTS if line.startswith('|') else PROSE_FAULTS
        out += [f"{md.name}:{i}: {k}: {line.strip()[:200]}" for k, rx in checks.items() if re.search(rx, line)]
        if line.startswith('Finding:'):
            if not (re.search('missing', line) and re.search(RUN, line) and re.search(CMD, line)):
                out.append(f"{md.name}:{i}: a finding with missing runs does not name them and their command: {line[:200]}")
            if all_missing:
                out += [f"{md.name}:{i}: {k}: {line[:200]}" for k, rx in VERDICT_FAULTS.items() if re.search(rx, line)]
    if not re.search(RUN, text) or not re.search(CMD, text): out.append(f"{md.name}: names no missing run or no command to train it")
    out += [f"{md.name}: links {t}, which was not written" for t in re.findall(r'!\[[^\]]*\]\(([^)]+)\)', text) if not (md.parent/t).exists()]
    return out

def execute(root: Path, name: str) -> tuple:
    "Execute `nbs/paper/<name>.ipynb` (profile smoke) in the project root `root`: (error or None, the .md files it wrote)."
    import papermill as pm
    from partseg.batch import nbs_dir, kernel_name
    figs = root/'runs/smoke/figures'
    before = {p: p.stat().st_mtime_ns for p in figs.rglob('*.md')} if figs.exists() else {}
    try:
        pm.execute_notebook(str(nbs_dir()/'paper'/f'{name}.ipynb'), str(root/'_paper'/f'{name}.ipynb'), cwd=str(root),
                            parameters=dict(profile='smoke', root=str(root)), progress_bar=False, kernel_name=kernel_name())
        err = None
    except Exception as e:
        err = f"{type(e).__name__}: {str(e).strip().splitlines()[-1] if str(e).strip() else ''}"
    written = sorted(p for p in figs.rglob('*.md') if before.get(p) != p.stat().st_mtime_ns) if figs.exists() else []
    return err, written

def new_root(path: Path) -> Path:
    "An empty project root: no run has finished."
    (path/'_paper').mkdir(parents=True)
    (path/'settings.ini').write_text('[DEFAULT]\nlib_name = partseg\n')
    return path

@pytest.fixture(scope='module')
def empty(tmp_path_factory):
    "Every paper notebook executed once in an empty project root: {name: (error, written .md files)}."
    with pytest.MonkeyPatch.context() as mp:
        root = new_root(tmp_path_factory.mktemp('no_runs'))
        mp.setenv('PARTSEG_ROOT', str(root))
        t0 = time.time()
        res = {n: execute(root, n) for n in NOTEBOOKS}
        print(f"12 paper notebooks in {time.time() - t0:.0f} s")
        return res

@pytest.mark.parametrize('name', NOTEBOOKS)
def test_notebook_names_the_missing_runs(empty, name):
    err, written = empty[name]
    assert err is None, f"{name} failed with every run missing: {err}"
    assert written, f"{name} wrote no markdown"
    problems = [f for md in written for f in faults(md)]
    assert not problems, '\n'.join(problems)

def test_benchmark_finding_on_some_runs(tmp_path, monkeypatch):
    "Some runs finished: the finding reads their numbers only where they exist, and names the runs it lacks."
    from partseg.runs import run_experiment
    root = new_root(tmp_path/'root'); monkeypatch.setenv('PARTSEG_ROOT', str(root))
    grid = [run_experiment('benchmark/grid-faces', 'smoke', s, progress=False) for s in (0, 1, 2)]   # about a second each
    cc = run_experiment('benchmark/colorclusters-faces', 'smoke', 0, progress=False)
    err, written = execute(root, 'benchmark_baselines')
    assert err is None, err
    md = root/'runs/smoke/figures/benchmark/baselines.md'
    assert md in written and not faults(md, all_missing=False), '\n'.join(faults(md, all_missing=False))
    finding = next(l for l in md.read_text().splitlines() if l.startswith('Finding:'))
    mean = lambda ms, k: sum(m[k] for m in ms) / len(ms)
    assert (f"grid reaches calibrated part IoU faces {mean(grid, 'part_iou_calibrated'):.3f} and foreground IoU "
            f"faces {mean(grid, 'fg_iou'):.3f}") in finding
    assert f"colorclusters stays at or below {cc['part_iou_calibrated']:.3f}" in finding and 'every world' not in finding   # one world: not "every"
    assert 'benchmark/grid-birds seed 0' in finding and 'benchmark/colorclusters-faces seed 1' in finding   # the runs it lacks
    assert 'benchmark/center-faces' not in finding                         # the finding does not read `center`
    assert f"| faces | grid | {mean(grid, 'landmark_err'):.3f} ± 0.000 (n=3) |" in md.read_text() and '| birds | grid | — |' in md.read_text()
