"JupyterLab out of the box: the dev install's `jupyter lab` serves the lab page, and a notebook opened through its REST API and executed on its kernel creates widget models (the controls of `partseg.viz`)."
import json, os, socket, subprocess, sys, time, urllib.request, uuid
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = '08_viz.ipynb'   # ends with TransferControl and GenerationControl on toy data: cheap, and every control class is in it

def _free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def _get(url: str, timeout: float = 10):
    with urllib.request.urlopen(url, timeout=timeout) as r: return r.status, r.read()

def _post(url: str, body: dict):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={'Content-Type': 'application/json'}, method='POST')
    with urllib.request.urlopen(req, timeout=30) as r: return json.loads(r.read())

@pytest.fixture(scope='module')
def lab(tmp_path_factory):
    "A headless `jupyter lab` on a free loopback port, serving nbs/, stopped after the module."
    port, token = _free_port(), uuid.uuid4().hex
    jupyter = Path(sys.executable).with_name('jupyter')
    log = tmp_path_factory.mktemp('lab')/'lab.log'
    proc = subprocess.Popen([str(jupyter), 'lab', '--no-browser', f'--port={port}', '--ip=127.0.0.1', f'--IdentityProvider.token={token}',
                             f'--notebook-dir={ROOT/"nbs"}', '--ServerApp.port_retries=0']
                            + (['--allow-root'] if os.geteuid() == 0 else []),   # CI runs as root
                            stdout=open(log, 'w'), stderr=subprocess.STDOUT, cwd=ROOT/'nbs', env={**os.environ, 'JUPYTER_PLATFORM_DIRS': '1'})
    base = f'http://127.0.0.1:{port}'
    try:
        for _ in range(120):   # up to a minute
            if proc.poll() is not None: pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if _get(f'{base}/api/status?token={token}', 2)[0] == 200: break
            except OSError: time.sleep(0.5)
        else: pytest.fail(f"jupyter lab did not answer within a minute:\n{log.read_text()[-3000:]}")
        yield base, token
    finally:
        proc.terminate()
        try: proc.wait(15)
        except subprocess.TimeoutExpired: proc.kill()

def test_lab_page_is_served(lab):
    base, token = lab
    status, body = _get(f'{base}/lab?token={token}')
    assert status == 200 and b'JupyterLab' in body

def _decode(raw) -> dict:
    "A kernel message from the websocket: JSON text, or a binary frame (a widget's PNG rides as a buffer): uint32 count, uint32 offsets, the JSON first."
    if isinstance(raw, str): return json.loads(raw)
    n = int.from_bytes(raw[:4], 'big'); offs = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], 'big') for i in range(n)] + [len(raw)]
    return json.loads(raw[offs[0]:offs[1]].decode())

def _execute(ws, session: str, code: str, timeout: float = 120) -> tuple[dict, list]:
    "Run `code` on the kernel behind websocket `ws`: its execute_reply content and the iopub messages it caused."
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps(dict(header=dict(msg_id=msg_id, username='test', session=session, msg_type='execute_request', version='5.3', date=''),
                            parent_header={}, metadata={}, channel='shell',
                            content=dict(code=code, silent=False, store_history=False, user_expressions={}, allow_stdin=False, stop_on_error=True))))
    iopub, reply, idle, end = [], None, False, time.time() + timeout
    while (reply is None or not idle) and time.time() < end:
        m = _decode(ws.recv())
        if m.get('parent_header', {}).get('msg_id') != msg_id: continue
        if m['channel'] == 'shell' and m['header']['msg_type'] == 'execute_reply': reply = m['content']
        elif m['channel'] == 'iopub':
            iopub.append(m)
            idle = idle or (m['header']['msg_type'] == 'status' and m['content']['execution_state'] == 'idle')
    assert reply is not None, f'no execute_reply within {timeout} s for:\n{code[:300]}'
    return reply, iopub

def test_notebook_with_widgets_runs_and_creates_widget_models(lab):
    import websocket   # websocket-client, a dependency of jupyter_server
    base, token = lab
    nb = json.loads(_get(f'{base}/api/contents/{NOTEBOOK}?token={token}&content=1')[1])   # the notebook, opened through the REST API
    assert nb['type'] == 'notebook'
    cells = [''.join(c['source']) for c in nb['content']['cells'] if c['cell_type'] == 'code']
    s = _post(f'{base}/api/sessions?token={token}', dict(path=NOTEBOOK, type='notebook', name=NOTEBOOK, kernel=dict(name='python3')))
    ws = websocket.create_connection(f"ws://127.0.0.1:{base.rsplit(':', 1)[1]}/api/kernels/{s['kernel']['id']}/channels?token={token}", timeout=180)
    try:
        models, views = [], 0
        session = uuid.uuid4().hex
        _, out = _execute(ws, session, 'import sys; print(sys.prefix)')
        printed = ''.join(m['content'].get('text', '') for m in out if m['header']['msg_type'] == 'stream')
        assert printed.strip() == sys.prefix, f"the notebook's kernel runs {printed.strip()!r}, not the project's environment {sys.prefix!r}"
        for code in cells:
            reply, iopub = _execute(ws, session, code)
            assert reply['status'] == 'ok', f"{NOTEBOOK}: a cell failed in the lab's kernel: {reply.get('ename')}: {reply.get('evalue')}\n{code[:300]}"
            models += [m['content']['data']['state']['_model_name'] for m in iopub
                       if m['header']['msg_type'] == 'comm_open' and m['content'].get('target_name') == 'jupyter.widget']
            views += sum('application/vnd.jupyter.widget-view+json' in m['content'].get('data', {}) for m in iopub
                         if m['header']['msg_type'] in ('execute_result', 'display_data'))
        for name in ('IntSliderModel', 'SelectMultipleModel', 'ImageModel', 'HTMLModel', 'VBoxModel'):
            assert name in models, f'no {name} among the widget models the notebook created: {sorted(set(models))}'
        assert views >= 1, 'no cell displayed a widget view'
    finally:
        ws.close()
        urllib.request.urlopen(urllib.request.Request(f"{base}/api/sessions/{s['id']}?token={token}", method='DELETE'), timeout=30)
