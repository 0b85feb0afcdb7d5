"The rule that says whether a notebook's stored outputs are current (tools/notebooks.py `compare`), on made-up cells: it must catch a changed number, a lost picture, a new output, and let timings, addresses and warnings vary."
import copy, importlib.util
from pathlib import Path
from fastcore.basics import AttrDict

spec = importlib.util.spec_from_file_location('nbtools', Path(__file__).resolve().parent.parent/'tools'/'notebooks.py')
nbt = importlib.util.module_from_spec(spec); spec.loader.exec_module(nbt)

def nb(*cells):
    return AttrDict(cells=[AttrDict(cell_type='code', source=src, outputs=list(outs)) for src, outs in cells])

def stream(text, name='stdout'): return dict(output_type='stream', name=name, text=text)
def result(text, **more): return dict(output_type='execute_result', data={'text/plain': text, **more}, metadata={}, execution_count=None)

BASE = nb(("fit(m)", [result("{'step': 6, 'seconds': 7.49, 'loss': 32.82084274291992}")]),
          ("show()", [stream('3 parts\n'), dict(output_type='display_data', data={'image/png': 'AAAA', 'text/plain': '<Figure>'}, metadata={})]),
          ("warn()", [stream('UserWarning: /work/main/partseg/x.py:3\n', 'stderr'), result('<object at 0x7f3a2b>')]),
          ("#| slow\ntrain_for_hours()", []))

def changed(f):
    new = copy.deepcopy(BASE); f(new); return nbt.compare(BASE, new)

def test_identical_outputs_are_current(): assert nbt.compare(BASE, copy.deepcopy(BASE)) == []

def test_timings_addresses_warnings_and_pixels_may_vary():
    def vary(n):
        n.cells[0].outputs[0]['data']['text/plain'] = "{'step': 6, 'seconds': 3.02, 'loss': 32.82084274291992}"
        n.cells[1].outputs[1]['data'] = {'image/jpeg': 'BBBB', 'text/plain': '<Figure>'}    # another encoding, other pixels
        n.cells[2].outputs[0]['text'] = 'UserWarning: /tmp/ci/partseg/x.py:3\n'
        n.cells[2].outputs[1]['data']['text/plain'] = '<object at 0x55aa01>'
        n.cells[3].outputs = [stream('never compared: nbdev_test skips it\n')]
    assert changed(vary) == []

def test_a_changed_number_is_stale():
    def f(n): n.cells[0].outputs[0]['data']['text/plain'] = "{'step': 6, 'seconds': 7.49, 'loss': 34.1}"   # 4 % off
    msgs = changed(f); assert len(msgs) == 1 and 'code cell 1' in msgs[0] and '34.1' in msgs[0]

def test_a_small_numeric_difference_passes():
    def f(n): n.cells[0].outputs[0]['data']['text/plain'] = "{'step': 6, 'seconds': 7.49, 'loss': 32.8209}"
    assert changed(f) == []

def test_a_lost_picture_or_a_new_output_is_stale():
    def lose(n): n.cells[1].outputs = n.cells[1].outputs[:1]
    def add(n): n.cells[0].outputs.append(stream('new line\n'))
    assert 'outputs' in changed(lose)[0] and 'outputs' in changed(add)[0]

def test_changed_text_is_stale_and_marked_cells_are_not_compared():
    def f(n): n.cells[1].outputs[0]['text'] = '4 parts\n'
    assert len(changed(f)) == 1
    def g(n): n.cells[1].source = '# output varies: a trained run where one is on disk\nshow()'; n.cells[1].outputs = []
    assert changed(g) == []

def test_skipped_cells_follow_nbdev_test():
    code = lambda s: AttrDict(cell_type='code', source=s)
    assert nbt.skipped(code('#| slow\nx')) and nbt.skipped(code('#| gpu\nx')) and nbt.skipped(code('#| eval: false\nx'))
    assert not nbt.skipped(code('#| export\nx')) and not nbt.skipped(code('x  #| slow'))
