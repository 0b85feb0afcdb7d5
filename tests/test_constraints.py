"`constraints.txt` pins every dependency that `settings.ini` names, agrees with its exact pins, and is what this environment runs."
import configparser, re
from importlib.metadata import version, PackageNotFoundError
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def _norm(name: str) -> str: return re.sub(r'[-_.]+', '-', name).lower()

def _requirements() -> dict[str, str | None]:
    "Every requirement in settings.ini (runtime and dev): name -> its exact pin, or None."
    cfg = configparser.ConfigParser(); cfg.read(ROOT/'settings.ini')
    out = {}
    for key in ('requirements', 'dev_requirements'):
        for req in cfg['DEFAULT'][key].split():
            m = re.fullmatch(r'([A-Za-z0-9_.\-]+)(?:==([^,;\s]+))?(?:[<>=!~].*)?', req)
            assert m, f"settings.ini: cannot read the requirement {req!r}"
            out[_norm(m[1])] = m[2]
    return out

def _constraints() -> dict[str, str]:
    out = {}
    for i, line in enumerate((ROOT/'constraints.txt').read_text().splitlines(), 1):
        line = line.split('#')[0].strip()
        if not line: continue
        name, sep, ver = line.partition('==')
        assert sep and ver, f"constraints.txt line {i}: {line!r} is not an exact pin NAME==VERSION"
        out[_norm(name)] = ver
    return out

def test_every_requirement_is_pinned_and_agrees_with_settings():
    reqs, pins = _requirements(), _constraints()
    missing = sorted(set(reqs) - set(pins))
    assert not missing, f"constraints.txt does not pin {missing}: install them and run `make constraints`"
    differ = {n: (v, pins[n]) for n, v in reqs.items() if v and v != pins[n]}
    assert not differ, f"settings.ini and constraints.txt pin different versions (settings, constraints): {differ}"

def test_this_environment_runs_the_pinned_versions():
    "What `make install` installed is what constraints.txt says; a drift means the numbers may not reproduce."
    pins, drift = _constraints(), {}
    for name in _requirements():
        if name not in pins: continue   # the test above names it
        try: got = version(name)
        except PackageNotFoundError: drift[name] = (pins[name], 'not installed'); continue
        if got != pins[name]: drift[name] = (pins[name], got)
    assert not drift, (f"installed versions differ from constraints.txt (pinned, installed): {drift}; "
                       "reinstall with `make install`, or after a deliberate upgrade run `make constraints`")
