"""Decoding of source files: UTF-8 (BOM or not), GB18030, binary refusal."""

import pytest

from chaingraph.errors import ChaingraphError
from chaingraph.ingest.reading import decode_bytes, read_source

TEXT = "湖南星河电子科技有限公司从东莞整体回迁，落户高新区。"


def test_utf8_plain(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(TEXT.encode("utf-8"))
    s = read_source(p)
    assert s.text == TEXT and s.encoding == "utf-8" and s.name == "a.txt"
    assert len(s.sha256) == 64


def test_utf8_bom_is_removed(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    s = read_source(p)
    assert s.text == TEXT and s.encoding == "utf-8-sig"


@pytest.mark.parametrize("enc", ["gb18030", "gbk", "gb2312"])
def test_gb_family(tmp_path, enc):
    p = tmp_path / "gb.txt"
    p.write_bytes(TEXT.encode(enc))
    s = read_source(p)
    assert s.text == TEXT and s.encoding == "gb18030"


def test_traditional_big_text_in_gb18030():
    t = "湖南錦星電子股份有限公司是一家高新技術企業。"
    assert decode_bytes(t.encode("gb18030")).text == t


def test_nul_bytes_are_binary(tmp_path):
    p = tmp_path / "img.bin"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ChaingraphError) as e:
        read_source(p)
    assert "img.bin" in str(e.value) and "binary" in str(e.value)
    assert e.value.exit_code == 1


def test_control_characters_are_binary(tmp_path):
    p = tmp_path / "ctl.dat"
    p.write_bytes(bytes(range(1, 32)) * 20)
    with pytest.raises(ChaingraphError, match="ctl.dat"):
        read_source(p)


def test_undecodable_names_the_file(tmp_path):
    p = tmp_path / "junk.txt"
    p.write_bytes(b"\x80\xff\x80\xff" * 50)
    with pytest.raises(ChaingraphError, match="junk.txt"):
        read_source(p)


def test_missing_file(tmp_path):
    with pytest.raises(ChaingraphError, match="nope.txt"):
        read_source(tmp_path / "nope.txt")
