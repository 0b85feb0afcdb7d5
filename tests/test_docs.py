"The documentation site: `make docs` (tools/docs.py) builds it offline, and headless Chromium renders a method page and a paper page with their API entries, pictures and tables."
import importlib.util, re, shutil, subprocess
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent

@pytest.fixture(scope='module')
def site():
    spec = importlib.util.spec_from_file_location('partseg_docs', ROOT/'tools'/'docs.py')
    docs = importlib.util.module_from_spec(spec); spec.loader.exec_module(docs)
    index = docs.build()
    assert index.exists()
    return index.parent

def render(page: Path) -> str:
    "The page's DOM after Chromium loaded it (scripts run), from the file system: what a reader browsing the site offline gets."
    exe = shutil.which('chromium') or shutil.which('chromium-browser')
    if exe is None: pytest.fail("tests/test_docs.py renders pages in Debian's chromium: `apt-get install chromium` (make test installs it when run as root)")
    r = subprocess.run([exe, '--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=3000', '--dump-dom', page.as_uri()],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and '<html' in r.stdout, r.stderr[-2000:]
    return r.stdout

def test_method_page_shows_prose_api_pictures_and_tables(site):
    dom = render(site/'modules'/'12_methods.liu2021.html')
    for name in ('transfer_control', 'squeeze', 'Liu2021Config'):   # exported API, with its signature and docstring
        assert re.search(rf'id="partseg\.methods\.liu2021\.{name}"', dom), f'no API entry for {name}'
    assert 'the part-map-weighted mean of the appearance features' in dom   # a docstring, rendered
    assert re.search(r'<img [^>]*src="12_methods\.liu2021_files/', dom), "no picture from the notebook's stored outputs"
    assert '<table' in dom and 'eq. 2' in dom                          # the notebook's measured tables and its prose

def test_paper_page_shows_our_tables_beside_the_papers(site):
    dom = render(site/'figures'/'liu2021'/'index.html')
    assert '<table' in dom and 'wild CelebA, paper' in dom            # ours beside the paper's numbers
    assert re.search(r'<img [^>]*src="Fig_3\.png"', dom) and (site/'figures'/'liu2021'/'Fig_3.png').exists()
    assert 'liu2021_tables.ipynb' in dom                               # the executed notebook that computed them

def test_site_works_offline(site):
    for page in (site/'index.html', site/'modules'/'08_viz.html'):
        html = page.read_text()
        assert not re.search(r'(href|src)="https?://(?!127\.0\.0\.1)', html.split('</header>')[-1].split('<footer')[0]), \
            f'{page.name} loads something from the network'
