"The package's layers: no module imports one above it (methods never import the runner), and each module says its one job."
import ast, importlib, pathlib, re
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent/'partseg'
LAYERS = [   # a module may import its own layer or those before it, never a later one
    ['partseg', 'partseg.core'],
    ['partseg.data', 'partseg.data.worlds', 'partseg.data.pairs', 'partseg.data.real', 'partseg.reported', 'partseg.nn'],
    ['partseg.losses', 'partseg.mi', 'partseg.metrics', 'partseg.probes', 'partseg.viz'],
    ['partseg.evaluation', 'partseg.controls', 'partseg.methods', 'partseg.train'],
    ['partseg.methods.*'],
    ['partseg.registry', 'partseg.experiments', 'partseg.experiments.*'],
    ['partseg.runs'],
    ['partseg.tables', 'partseg.batch'],
    ['partseg.cli', 'partseg.reproduce', 'partseg.__main__'],
]

def layer(mod: str) -> int:
    for i, names in enumerate(LAYERS):
        for n in names:
            if mod == n or (n.endswith('.*') and mod.startswith(n[:-1])): return i
    raise KeyError(f'{mod} has no layer: add it to LAYERS')

def modname(p: pathlib.Path) -> str:
    parts = list(p.relative_to(ROOT.parent).with_suffix('').parts)
    return '.'.join(parts[:-1] if parts[-1] == '__init__' else parts)

def imports(p: pathlib.Path) -> set:
    "Every partseg module `p` imports, at its top or inside a function."
    m = modname(p); pkg = m if p.name == '__init__.py' else m.rsplit('.', 1)[0]
    out = set()
    for n in ast.walk(ast.parse(p.read_text())):
        if isinstance(n, ast.ImportFrom):
            base = pkg.split('.')[:len(pkg.split('.')) - n.level + 1] if n.level else []
            tgt = '.'.join(base + [n.module]) if n.module else '.'.join(base)
            if not tgt.startswith('partseg'): continue
            for a in n.names:   # `from partseg.methods import kpcrf` imports a module; `... import get_method` a name
                sub = f'{tgt}.{a.name}'
                out.add(sub if (ROOT.parent/(sub.replace('.', '/') + '.py')).exists() else tgt)
        elif isinstance(n, ast.Import):
            out |= {a.name for a in n.names if a.name.startswith('partseg')}
    return out

MODULES = sorted(p for p in ROOT.rglob('*.py') if p.name != '_modidx.py')

@pytest.mark.parametrize('path', MODULES, ids=lambda p: modname(p))
def test_no_module_imports_a_layer_above_it(path):
    me = modname(path)
    up = sorted(t for t in imports(path) if t != me and layer(t) > layer(me))
    assert not up, f'{me} (layer {layer(me)}) imports {up} from a later layer'

def test_the_checker_catches_an_upward_import(tmp_path):
    fake = ROOT/'methods'/'_probe_upward.py'
    try:
        fake.write_text('def f():\n    from partseg.runs import run_dir\n')
        assert any(layer(t) > layer('partseg.methods.x') for t in imports(fake))
    finally: fake.unlink()

@pytest.mark.parametrize('mod', ['partseg.registry', 'partseg.runs', 'partseg.evaluation', 'partseg.batch', 'partseg.tables', 'partseg.cli'])
def test_each_runner_module_opens_with_one_job(mod):
    doc = importlib.import_module(mod).__doc__ or ''
    assert doc and len(re.split(r'(?<=[.])\s', doc.strip())) == 1, f'{mod}: {doc!r}'
