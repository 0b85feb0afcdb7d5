"""Build the documentation site (`make docs`): a static, offline-browsable site from the notebooks, the README and figures/.

    python tools/docs.py            # writes build/docs_src/ (the pages) and build/site/ (the site: open build/site/index.html)

mkdocs-material renders it (pip-installable, no quarto or node; its `offline` plugin keeps search working from file://),
mkdocstrings-python writes each module's API (signatures and docstrings) under its notebook's prose and pictures, and
nbconvert turns each `nbs/` notebook with its stored outputs into the page's markdown.
"""
from __future__ import annotations
import json, re, shutil, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC, SITE = ROOT/'build'/'docs_src', ROOT/'build'/'site'
PAPERS = {'liu2021': 'Liu et al. 2021', 'siarohin2020': 'Siarohin et al. 2020', 'esser2019': 'Esser et al. 2019',
          'braun2020': 'Braun et al. 2020', 'ganseg2022': 'GANSeg (He et al. 2022)', 'baselines': 'The baselines', 'benchmark': 'The benchmark'}

def module_of(nb: dict) -> str | None:
    "The module a notebook exports (`#| default_exp name`), as `partseg.name`; None for a notebook that exports nothing."
    for c in nb['cells']:
        m = re.search(r'^#\|\s*default_exp\s+(\S+)', ''.join(c['source']), re.M)
        if m: return f"partseg.{m.group(1)}".removesuffix('.__init__')
    return None

def notebook_page(path: Path, out_dir: Path) -> tuple[str, str]:
    "Write `out_dir/<stem>.md` from notebook `path` (prose, code, stored outputs; pictures as files beside it) with its module's API at the end; (title, file name)."
    from nbconvert import MarkdownExporter
    from nbformat import reads
    nb = json.loads(path.read_text())
    mod = module_of(nb)
    for c in nb['cells']:
        c.setdefault('id', f'c{id(c)}')   # nbdev_clean drops cell ids; nbformat wants them
        for o in c.get('outputs', []):   # a stored result without its (cleaned) execution count is still a result
            if o.get('output_type') == 'execute_result': o.setdefault('execution_count', None)
        if c['cell_type'] == 'code':     # nbdev's `#|` directives are for nbdev, not for readers
            c['source'] = re.sub(r'\A(\s*#\|[^\n]*\n?)+', '', ''.join(c['source']))
    nb['cells'] = [c for c in nb['cells'] if c['cell_type'] != 'code' or c['source'].strip() or c.get('outputs')]
    body, res = MarkdownExporter().from_notebook_node(reads(json.dumps(nb), as_version=4), resources=dict(output_files_dir=f'{path.stem}_files'))
    for name, data in res.get('outputs', {}).items():
        f = out_dir/name; f.parent.mkdir(parents=True, exist_ok=True); f.write_bytes(data)
    title = next((l.lstrip('# ').strip() for l in body.splitlines() if l.startswith('# ')), path.stem)
    if mod: body += f"\n\n## API of `{mod}`\n\n::: {mod}\n    options:\n      members_order: source\n      show_root_heading: false\n"
    (out_dir/f'{path.stem}.md').write_text(f"<small>From `nbs/{path.name}`; its outputs are the ones stored in the notebook (`make notebooks`).</small>\n\n{body}")
    return title, f'{path.stem}.md'

def paper_page(d: Path, out_dir: Path) -> tuple[str, str]:
    "Copy figures/<paper>/ to the site and write its index.md: every artifact's page (tables with the paper's numbers beside ours, figures) one after the other; (title, path)."
    dst = out_dir/d.name; shutil.copytree(d, dst, dirs_exist_ok=True)
    parts = [f"# {PAPERS.get(d.name, d.name)}: the reproduced tables and figures", '',
             f"Every artifact of `figures/{d.name}/`, as `partseg reproduce --profile quick --only {d.name}` wrote it: each table shows ours "
             "(synthetic worlds) beside the paper's numbers (its real data sets), with the floor, the ceiling and the claims judged.", '']
    nbs = sorted(p.name for p in d.glob('*.ipynb'))
    if nbs: parts += ['Executed notebooks that computed them: ' + ', '.join(f'[`{n}`]({n})' for n in nbs) + '.', '']
    for md in sorted(d.glob('*.md')):
        if md.name == 'index.md': continue
        txt = re.sub(r'^(#+)', r'#\1', md.read_text(), flags=re.M)   # each artifact one level below the page title
        parts += [txt, '']
    (dst/'index.md').write_text('\n'.join(parts))
    return PAPERS.get(d.name, d.name), f'figures/{d.name}/index.md'

def mkdocs_config(nav: list) -> dict:
    return dict(site_name='partseg', site_description='Five papers on unsupervised part segmentation, reproduced on one synthetic benchmark',
                docs_dir=str(SRC), site_dir=str(SITE), use_directory_urls=False,   # pages open from the file system
                theme=dict(name='material', font=False, features=['navigation.sections', 'search.highlight']),   # font: False, nothing fetched
                plugins=['search', 'offline', dict(mkdocstrings=dict(handlers=dict(python=dict(paths=[str(ROOT)], options=dict(
                    show_source=False, show_signature_annotations=True, separate_signature=True, docstring_style=None, heading_level=3)))))],
                markdown_extensions=['tables', 'admonition', 'attr_list', 'md_in_html', 'pymdownx.superfences'],
                validation=dict(links=dict(not_found='info', anchors='info'), nav=dict(omitted_files='info')), nav=nav)

def build(strict: bool = False) -> Path:
    "Write the pages and build the site; the site's index.html."
    t0 = time.time()
    shutil.rmtree(SRC, ignore_errors=True); SRC.mkdir(parents=True)
    readme = (ROOT/'README.md').read_text()
    (SRC/'index.md').write_text(readme)
    mods, meths = [], []
    (SRC/'modules').mkdir()
    for p in sorted((ROOT/'nbs').glob('[0-9]*.ipynb')):
        title, f = notebook_page(p, SRC/'modules')
        (meths if '_methods.' in p.stem else mods).append({f'{p.stem.split("_", 1)[0]} {title}': f'modules/{f}'})
    shutil.copytree(ROOT/'figures', SRC/'figures', dirs_exist_ok=True)
    papers = [paper_page(d, SRC/'figures') for d in sorted((ROOT/'figures').iterdir()) if d.is_dir()]
    docs = [{p.stem.replace('_', ' '): f'design/{p.name}'} for p in sorted((ROOT/'docs').glob('*.md'))]
    if docs: shutil.copytree(ROOT/'docs', SRC/'design', dirs_exist_ok=True)
    order = list(PAPERS)
    nav = [{'Home': 'index.md'},
           {'Papers': [{t: f} for t, f in sorted(papers, key=lambda x: order.index(Path(x[1]).parent.name) if Path(x[1]).parent.name in order else 99)]
                      + [{'Leaderboard': 'figures/leaderboard.md'}, {'Report': 'figures/REPORT.md'}]},
           {'Methods': meths}, {'Library': mods}, *([{'Design': docs}] if docs else [])]
    import yaml
    cfg = ROOT/'build'/'mkdocs.yml'; cfg.write_text(yaml.safe_dump(mkdocs_config(nav), sort_keys=False, allow_unicode=True))
    subprocess.run([str(Path(sys.executable).with_name('mkdocs')), 'build', '-q', '-f', str(cfg)] + (['--strict'] if strict else []), check=True, cwd=ROOT,
                   env={**__import__('os').environ, 'NO_MKDOCS_2_WARNING': '1'})
    print(f"site: {SITE/'index.html'} ({time.time() - t0:.0f} s, {sum(f.stat().st_size for f in SITE.rglob('*') if f.is_file()) / 1e6:.1f} MB)")
    return SITE/'index.html'

if __name__ == '__main__': build()
