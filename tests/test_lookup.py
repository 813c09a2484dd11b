import pytest

from chaingraph.errors import NotFoundError
from chaingraph.lookup import closest, name_key, resolve

NAMES = {
    "a": ["骏捷智能", "湖南骏捷智能科技有限公司", "骏捷"],
    "b": ["信征科技", "信徵科技（永州）有限公司"],
    "c": ["中钽电子", "永州市中钽电子有限公司"],
    "d": ["中钽新材"],
}


def test_name_key_unifies_script_spacing_and_brackets():
    assert name_key("信徵科技(永州)有限公司") == name_key("信征科技（永州）有限公司")
    assert name_key("骏 捷") == "骏捷"


@pytest.mark.parametrize("query,iri", [
    ("湖南骏捷智能科技有限公司", "a"), ("骏捷", "a"), ("駿捷智能", "a"),
    ("信徵科技（永州）有限公司", "b"), ("信征", "b"), ("中钽电子", "c"),
])
def test_resolve_full_short_and_traditional(query, iri):
    assert resolve(query, NAMES, "company") == iri


def test_fuzzy_typo_resolves_when_clear():
    assert resolve("湖南骏捷智能科技公司", NAMES, "company") == "a"


def test_ambiguous_lists_candidates():
    with pytest.raises(NotFoundError) as e:
        resolve("中钽", NAMES, "company")
    assert e.value.suggestions and "ambiguous" in e.value.message


def test_unknown_lists_closest():
    with pytest.raises(NotFoundError) as e:
        resolve("完全不存在的公司", NAMES, "company")
    assert "unknown company" in e.value.message


def test_closest_ranks_one_entry_per_entity():
    ranked = closest("骏捷智能科技", NAMES)
    assert ranked[0][0] == "a"
    assert len({iri for iri, _, _ in ranked}) == len(ranked)
