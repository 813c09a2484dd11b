"""Import of enterprise-information exports (Chinese headers, CSV or Excel): header mapping, place
from the registered address, 经营范围 matched with the segment vocabulary, bad rows by row number,
and the example file end to end (example → import → targets → Excel)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chaingraph.pool.enterprise import header_map, import_export, is_enterprise_export

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CSV = ROOT / "docs" / "examples" / "企业名单示例.csv"
EXAMPLE_XLSX = ROOT / "docs" / "examples" / "企业名单示例.xlsx"
SEG = "https://w3id.org/chaingraph/id/segment/"


@pytest.fixture(scope="module")
def segments(bundled_graph):
    from chaingraph.pool.chainkg import segments_from_graph

    return segments_from_graph(bundled_graph)


def test_header_names_are_mapped():
    cols = header_map(["序号", "企业名称", "统一社会信用代码", "注册地址", "经营范围", "所属行业", "成立日期", "注册资本", "法定代表人"])
    assert cols == {"name": 1, "credit_code": 2, "address": 3, "scope": 4, "industry": 5, "founded": 6, "capital": 7}
    assert is_enterprise_export(EXAMPLE_CSV) and is_enterprise_export(EXAMPLE_XLSX)


def test_gb18030_export_is_recognised_and_read(segments, tmp_path):
    src = tmp_path / "gbk.csv"
    src.write_bytes(EXAMPLE_CSV.read_text(encoding="utf-8").encode("gb18030"))
    assert is_enterprise_export(src)
    rep = import_export(src, segments, out_dir=tmp_path / "out")
    assert rep["encoding"] == "gb18030" and rep["imported"] == 8 and rep["bad"] == []


def test_example_file(segments, tmp_path):
    rep = import_export(EXAMPLE_XLSX, segments, out_dir=tmp_path)
    assert rep["bad"] == [] and rep["imported"] == 8
    by = {f["name"]: f for f in rep["firms"]}
    # the place from the registered address (cnloc), a Guangdong city
    assert by["东莞市示例精密电镀有限公司"]["place"] == "东莞" and by["东莞市示例精密电镀有限公司"]["place_from"] == "注册地址"
    assert by["桂林示例玻璃科技有限公司"]["place"] == "桂林"
    # 经营范围 / 所属行业 matched with the vocabulary; look-alikes and trade lines not matched
    assert SEG + "eq-plating" in by["东莞市示例精密电镀有限公司"]["segments"]
    assert SEG + "ed-glass-substrate" in by["桂林示例玻璃科技有限公司"]["segments"]
    assert SEG + "eq-motor-housing" in by["佛山市示例压铸科技有限公司"]["segments"]
    assert not any("plating" in s for s in by["无锡示例镀锌钢板有限公司"]["segments"])
    assert by["上海示例贸易有限公司"]["segments"] == []
    ttl = Path(rep["written"]).read_text(encoding="utf-8")
    assert "cg:basis cg:BusinessScope" in ttl and 'schema:taxID "914419007A8B9C0D1E"' in ttl
    # the CSV twin imports the same firms and segments
    rep2 = import_export(EXAMPLE_CSV, segments, out_dir=tmp_path / "csv")
    assert [(f["name"], f["segments"], f["place"]) for f in rep2["firms"]] == [(f["name"], f["segments"], f["place"]) for f in rep["firms"]]


def test_bad_rows_by_row_number_all_or_nothing(segments, tmp_path):
    src = tmp_path / "导出.csv"
    lines = EXAMPLE_CSV.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("914406053B4C5D6E7F", "91440605")  # row 3: short credit code
    lines[4] = lines[4].replace("2005年6月1日", "去年")  # row 5: not a date
    lines.append(lines[1])  # row 10: the same firm again
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep = import_export(src, segments, out_dir=tmp_path / "out")
    assert [b["row"] for b in rep["bad"]] == [3, 5, 10]
    assert "统一社会信用代码" in rep["bad"][0]["reason"] and "成立日期" in rep["bad"][1]["reason"] and "重复" in rep["bad"][2]["reason"]
    assert rep["written"] is None and not (tmp_path / "out").exists()
    rep = import_export(src, segments, out_dir=tmp_path / "out", skip_bad=True)
    assert rep["imported"] == 6 and rep["written"]


def test_no_name_column_is_one_clear_error(segments, tmp_path):
    from chaingraph.errors import ChaingraphError

    src = tmp_path / "x.csv"
    src.write_text("公司,地址\n甲,深圳\n", encoding="utf-8")
    with pytest.raises(ChaingraphError, match="企业名称"):
        import_export(src, segments, out_dir=tmp_path)


def test_end_to_end_example_to_targets_to_excel(run_cli, tmp_path):
    from openpyxl import load_workbook

    xlsx = tmp_path / "企业名单示例.xlsx"
    shutil.copy(EXAMPLE_XLSX, xlsx)
    r = run_cli("import", str(xlsx))
    assert r.code == 0, r.err
    assert "东莞市示例精密电镀有限公司" in r.out and "注册地址" in r.out
    r = run_cli("targets", "--segment", "电镀", "--format", "json")
    assert r.code == 0, r.err
    data = r.json()
    top = data["rows"][0]
    assert top["full_name"] == "东莞市示例精密电镀有限公司"
    assert top["components"]["strategic_fit"]["value"] == 1.0 and "粤港澳大湾区" in top["why"]
    # a firm of the city itself is not a new recruit: its own group
    r = run_cli("targets", "--segment", "印制电路板", "--format", "json")
    data = r.json()
    assert "永州示例电子有限公司" not in [x["full_name"] for x in data["rows"]]
    assert [x["full_name"] for x in data["local_rows"]] == ["永州示例电子有限公司"]
    assert data["local_rows"][0]["group"] == "本地企业增资扩产 / 市内协作"
    out = tmp_path / "招商清单.xlsx"
    r = run_cli("targets", "--segment", "电镀", "--format", "xlsx", "-o", str(out))
    assert r.code == 0, r.err
    ws = load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    names = [row[header.index("全称")] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert "东莞市示例精密电镀有限公司" in names
    assert ws.cell(row=2, column=header.index("推荐理由") + 1).value
