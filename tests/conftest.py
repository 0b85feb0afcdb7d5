import os, pytest

@pytest.fixture
def root(tmp_path, monkeypatch):
    "An empty project root: runs/ and figures/ go here, not into the checkout."
    monkeypatch.setenv('PARTSEG_ROOT', str(tmp_path))
    return tmp_path
