"""The loader reads a well-formed issue file from libyaml's parser events (loader.py
`_FastBoundedLoader`, about 5 × faster) and everything else with the pure-Python loader. The
node trees — values, tags, styles and every mark (line, column, index: the located messages
and the raw-text slices depend on them) — must be the same either way."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from paperlayout import loader
from paperlayout.limits import DEFAULT

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted([*ROOT.glob("issues/*/issue.yaml"), *ROOT.glob("tests/corpus/*/*.yaml"), *ROOT.glob("tests/data/**/*.yaml")])

pytestmark = pytest.mark.skipif(loader._FastBoundedLoader is None, reason="PyYAML without libyaml")


def _tree(node):
    mark = lambda m: (m.line, m.column, m.index)  # noqa: E731
    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.value, node.style, mark(node.start_mark), mark(node.end_mark))
    if isinstance(node, yaml.SequenceNode):
        return (node.tag, mark(node.start_mark), mark(node.end_mark), tuple(_tree(n) for n in node.value))
    return (node.tag, mark(node.start_mark), mark(node.end_mark), tuple((_tree(k), _tree(v)) for k, v in node.value))


def _slow(text: str):
    return loader._BoundedLoader(text, DEFAULT).get_single_node()


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_same_nodes_from_libyaml_events(path):
    text = path.read_text(encoding="utf-8")
    fast = loader._fast_compose(text, DEFAULT)
    try:
        slow = _slow(text)
    except yaml.YAMLError:
        assert fast is None  # what the pure-Python loader refuses is refused by it, with its message
        return
    assert fast is not None and _tree(fast[0]) == _tree(slow)


ODD = [
    "a: 1\n  b: 2\n",                      # malformed: the pure-Python loader's message
    "a:\n\t- b\n",                         # a tab
    "a: \x07bell\n",                       # a control character libyaml might take
    "a: &x [*x]\n",                        # an alias inside its own anchor
    "a: !!python/object:os.system x\n",    # a tag outside the format
    "- &a [1, 2]\n- *a\n- {k: *a}\n",      # aliases (counted by the bounds)
    "t: '单引号 ''里'' 的文字'\nu: \"转义\\u4e2d\"\nv: |\n  保留\n  换行\n",
    "--- \na: 1\n--- \nb: 2\n",             # two documents
]


@pytest.mark.parametrize("text", ODD)
def test_odd_files_read_or_refused_as_before(text):
    fast = loader._fast_compose(text, DEFAULT)
    try:
        slow = _slow(text)
    except yaml.YAMLError:
        assert fast is None
        return
    assert fast is not None and _tree(fast[0]) == _tree(slow)


def test_bounds_hold_on_the_fast_path():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi"))
    assert loader._fast_compose(bomb, DEFAULT) is None  # refused: the Python loader says why
    with pytest.raises(loader.LoadError, match="yaml_nodes"):
        loader._compose(bomb, Path("bomb.yaml"))
