"""CSV import: good file, each kind of bad row (row number + reason, nothing written), --skip-bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaingraph.errors import ChaingraphError
from chaingraph.pool.csv_import import import_csv

SEG = "https://w3id.org/chaingraph/id/segment/"
SEGS = [
    {"iri": SEG + "ed-plating", "label": "电镀", "terms": ["电镀", "电镀加工"], "codes": ["3360"]},
    {"iri": SEG + "ed-pcb", "label": "印制电路板", "terms": ["PCB", "印制电路板"], "codes": ["3982"]},
]
HEADER = "name,full_name,aliases,province,city,products,segments,tiers,stock_code,industry_code,note\n"
GOOD = HEADER + (
    "甲电镀,深圳市甲电镀有限公司,甲镀；甲公司,广东,深圳,电镀加工,,专精特新,,,\n"
    "乙电路,,,,,,印制电路板,上市,600707.SH,,备注\n"
    "丙公司,,,湖南,,,,,,3982,\n"
    "丁电镀厂,,,,,,,,,,\n"
)


def write(tmp_path, text, enc="utf-8"):
    p = tmp_path / "list.csv"
    p.write_bytes(text.encode(enc) if isinstance(text, str) else text)
    return p


def test_good_file(tmp_path):
    import rdflib

    rep = import_csv(write(tmp_path, GOOD), SEGS, out_dir=tmp_path / "out")
    assert rep["imported"] == 4 and rep["bad"] == []
    segs = {f["name"]: f["segments"] for f in rep["firms"]}
    assert segs == {"甲电镀": [SEG + "ed-plating"], "乙电路": [SEG + "ed-pcb"], "丙公司": [SEG + "ed-pcb"],
                    "丁电镀厂": [SEG + "ed-plating"]}
    g = rdflib.Graph().parse(rep["written"], format="turtle")
    cg = rdflib.Namespace("https://w3id.org/chaingraph/ns#")
    bases = sorted(str(b).rsplit("#", 1)[1] for b in g.objects(None, cg.basis))
    assert bases == ["IndustryCode", "InferredFromName", "StatedProduct", "StatedSegment"]
    # evidence: quote = the row, offsets into the decoded file
    text = GOOD
    for ev in g.subjects(cg.source, None):
        s, e = int(g.value(ev, cg.start)), int(g.value(ev, cg.end))
        assert text[s:e] == str(g.value(ev, cg.quote))


def test_bom_and_gb18030(tmp_path):
    assert import_csv(write(tmp_path, "\ufeff" + GOOD), SEGS, out_dir=tmp_path / "o1")["imported"] == 4
    rep = import_csv(write(tmp_path, GOOD, "gb18030"), SEGS, out_dir=tmp_path / "o2")
    assert rep["encoding"] == "gb18030" and rep["imported"] == 4


@pytest.mark.parametrize(
    "line, reason",
    [
        (",,,,,,,,,,", "missing name"),
        ("甲电镀,,,,,,,,,,", "duplicate name"),
        ("戊,,,,,,,龙头,,,", "unknown tier"),
        ("己,,,,,,芯片,,,,", "unknown segment"),
        ("庚,,,,,", "wrong column count"),
        ("辛,,,,,,,,6007,,", "bad stock_code"),
        ("壬,,,,,,,,,39,", "bad industry_code"),
    ],
)
def test_each_bad_row(tmp_path, line, reason):
    rep = import_csv(write(tmp_path, GOOD + line + "\n"), SEGS, out_dir=tmp_path / "out")
    assert rep["written"] is None and rep["imported"] == 0
    assert [b["row"] for b in rep["bad"]] == [6]
    assert reason in rep["bad"][0]["reason"]
    assert not (tmp_path / "out").exists()


def test_bad_encoding(tmp_path):
    with pytest.raises(ChaingraphError, match="row 2: bad encoding"):
        import_csv(write(tmp_path, HEADER.encode() + b"\xff\xfe\xfa\xff,\n"), SEGS, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_skip_bad_and_keep_previous(tmp_path):
    out = tmp_path / "out"
    written = Path(import_csv(write(tmp_path, GOOD), SEGS, out_dir=out)["written"])
    before = written.read_text(encoding="utf-8")
    rep = import_csv(write(tmp_path, GOOD + "戊,,,,,,,龙头,,,\n"), SEGS, out_dir=out)
    assert rep["written"] is None and written.read_text(encoding="utf-8") == before
    rep = import_csv(write(tmp_path, GOOD + "戊,,,,,,,龙头,,,\n"), SEGS, out_dir=out, skip_bad=True)
    assert rep["imported"] == 4 and [b["row"] for b in rep["bad"]] == [6]
    assert list(out.glob("*.tmp")) == []


def test_cli_import(tmp_path, run_cli, isolated_home):
    p = write(tmp_path, "name,products\n某电镀,电镀加工\n,\n")
    r = run_cli("import", str(p))
    assert r.code == 1 and "row 3: missing name" in r.err and "nothing imported" in r.err
    assert not (isolated_home / "data" / "imports").exists()
    r = run_cli("import", str(p), "--skip-bad")
    assert r.code == 0, r.err
    assert [p.name[:5] for p in (isolated_home / "data" / "imports").glob("*.ttl")] == ["list-"]
