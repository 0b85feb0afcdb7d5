"""Seeds a paper's design asks for but a profile's time budget leaves out: not trained by default, never dropped from a table."""
import pytest
from partseg.registry import REGISTRY, Experiment
from partseg.batch import run_all, with_bases, start_order
from partseg.tables import collect, missing_text
from partseg.cli import main
from partseg.registry import select

@pytest.fixture
def exp():
    "A cheap registered experiment (grid) with two design seeds in `smoke`, the second over budget."
    e = Experiment('benchmark/_over-budget-grid', 'benchmark', 'baselines', 'grid', 'puppets', overrides=dict(n_parts=4),
                   seeds=(0, 1), over_budget={'smoke': (1,)})
    REGISTRY.load(); dict.__setitem__(REGISTRY, e.key, e)
    yield e
    dict.__delitem__(REGISTRY, e.key)

def test_the_budget_trains_its_seeds_and_the_table_keeps_the_rest(root, exp):
    log = []
    res = run_all([exp], 'smoke', notebook=False, log=log.append)
    assert [(k, s, err) for k, s, err, _ in res] == [(exp.key, 0, None)]
    assert '1 left out of the smoke time budget' in log[0] and '--over-budget' in log[0]
    df = collect([exp], 'smoke')
    assert list(df.status) == ['ok', 'over budget']   # the left-out seed is a row of the table, said apart from a failure
    t = missing_text(df, 'smoke', 'the grid row')
    assert 'time budget (the grid row): 1 run(s) (benchmark/_over-budget-grid seed 1)' in t and '--only benchmark --over-budget' in t and 'not finished' not in t
    res = run_all([exp], 'smoke', notebook=False, log=log.append, over_budget=True)   # whoever has the time trains the rest
    assert [(s, err) for _, s, err, _ in res] == [(1, None)]
    assert list(collect([exp], 'smoke').status) == ['ok', 'ok'] and missing_text(collect([exp], 'smoke')) == ''

def test_an_unknown_over_budget_seed_is_refused_by_name():
    with pytest.raises(ValueError, match=r"over_budget\['quick'\] names seeds \[5\]"):
        Experiment('x/y', 'x', 'Tab_1', 'grid', 'faces', seeds=(0, 1), over_budget={'quick': (5,)})

def test_list_names_the_over_budget_seeds(capsys):
    assert main(['list', 'experiments']) == 0
    out = capsys.readouterr().out
    assert 'quick seeds' in out
    over = [e for e in REGISTRY.values() if e.over_budget_seeds('quick')]
    for e in over: assert f"(over budget: {list(e.over_budget_seeds('quick'))})" in next(l for l in out.splitlines() if l.startswith(e.key + ' '))

# The budget model is `partseg.batch.plan`: the reference minutes of each method's quick run (`QUICK_RUN_MINUTES`, with
# where each was measured), handed to two workers as `run_ordered` does, plus the paper notebooks.
from partseg.batch import plan
BUDGET_MIN = 90

@pytest.mark.parametrize('paper', ['benchmark', 'baselines', 'esser2019', 'liu2021', 'braun2020', 'ganseg2022', 'siarohin2020'])
def test_each_papers_quick_rebuild_fits_the_budget(paper):
    "What `partseg reproduce --profile quick --only <paper> --jobs 2` trains, from scratch, fits the 90 minutes; the rest of its design is over budget."
    minutes = plan('quick', paper, force=True)['minutes']   # from scratch: every quick seed, whatever runs/ holds
    assert minutes <= BUDGET_MIN, f"{paper}: {minutes:.0f} min"
    assert all(e.seeds_for('smoke') in ((0,), (0, 1)) for e in select(paper) if e.paper != 'benchmark')
