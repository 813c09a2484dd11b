from pathlib import Path

import pytest

from chaingraph.normalize import normalize

from conftest import SEEDS


def test_traditional_to_simplified_keeps_offsets():
    original = "信徵科技（永州）有限公司落戶永州經開區"
    n = normalize(original)
    assert n.text == "信征科技（永州）有限公司落户永州经开区"
    assert n.original_span(0, 4) == (0, 4)
    assert n.slice_original(12, 14) == "落户"


def test_spaces_inside_words_removed_and_mapped_back():
    original = " 作 为 全 市 经\n\n济建设的主阵地"
    n = normalize(original)
    assert n.text == "作为全市经济建设的主阵地"
    start, end = n.original_span(0, 6)
    assert original[start:end].replace(" ", "").replace("\n", "") == "作为全市经济"


def test_line_break_after_sentence_end_is_kept_and_latin_words_keep_a_space():
    n = normalize("生产PCB 电路板。\n新 的 一 年\nSMT line")
    assert n.text == "生产PCB电路板。\n新的一年SMT line"


def test_fullwidth_latin_and_brackets_unified():
    n = normalize("ＬＣＤ模組(永州)「五好」")
    assert n.text == "LCD模组（永州）“五好”"


def test_find_returns_original_spans():
    original = "甲公司。\n乙 公 司 引 荐 丙公司"
    n = normalize(original)
    (span,) = n.find("乙公司引荐")
    assert normalize(original[span[0]:span[1]]).text == "乙公司引荐"


def test_bad_span_raises():
    with pytest.raises(ValueError):
        normalize("abc").original_span(2, 9)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not beside the repo")
@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [], ids=lambda p: p.name)
def test_every_seed_maps_back_character_by_character(path: Path):
    original = path.read_text(encoding="utf-8")
    n = normalize(original)
    assert len(n.text) == len(n.origin)
    assert list(n.origin) == sorted(n.origin)  # monotone map
    assert "簡" not in n.text and "經" not in n.text  # traditional converted
    assert "  " not in n.text
