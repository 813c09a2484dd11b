"""Import of enterprise-information exports (Chinese headers, CSV or Excel): header mapping, place
from the registered address, 经营范围 matched with the segment vocabulary, bad rows by row number,
and the example file end to end (example → import → targets → Excel)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chaingraph.pool.enterprise import _CREDIT, credit_check_char, header_map, import_export, is_enterprise_export

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
    assert "cg:basis cg:BusinessScope" in ttl and 'schema:taxID "914419007A8B9C0D1Q"' in ttl
    # the CSV twin imports the same firms and segments
    rep2 = import_export(EXAMPLE_CSV, segments, out_dir=tmp_path / "csv")
    assert [(f["name"], f["segments"], f["place"]) for f in rep2["firms"]] == [(f["name"], f["segments"], f["place"]) for f in rep["firms"]]


def test_bad_rows_by_row_number_all_or_nothing(segments, tmp_path):
    src = tmp_path / "导出.csv"
    lines = EXAMPLE_CSV.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("914406053B4C5D6E7H", "91440605")  # row 3: short credit code
    lines[4] = lines[4].replace("2005年6月1日", "去年")  # row 5: not a date
    lines.append(lines[1])  # row 10: the same firm again
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep = import_export(src, segments, out_dir=tmp_path / "out")
    assert [b["row"] for b in rep["bad"]] == [3, 5, 10]
    assert "统一社会信用代码" in rep["bad"][0]["reason"] and "成立日期" in rep["bad"][1]["reason"] and "重复" in rep["bad"][2]["reason"]
    assert rep["written"] is None and not (tmp_path / "out").exists()
    rep = import_export(src, segments, out_dir=tmp_path / "out", skip_bad=True)
    assert rep["imported"] == 6 and rep["written"]


# Codes as published for well-known firms (business licences, annual reports); the algorithm is
# checked against them, not they against a registry (no network here).
PUBLISHED_CODES = {
    "华为技术有限公司": "914403001922038216",
    "深圳市腾讯计算机系统有限公司": "91440300708461136T",
    "阿里巴巴（中国）有限公司": "91330100716105852F",
    "比亚迪股份有限公司": "91440300192317458F",
    "小米科技有限责任公司": "91110108551385082Q",
    "百度在线网络技术（北京）有限公司": "91110000802100433B",
    "中国平安保险（集团）股份有限公司": "91440300100012316L",
    "招商银行股份有限公司": "9144030010001686XA",
    "中国石油化工股份有限公司": "91110000710926094P",
}


@pytest.mark.parametrize("name", sorted(PUBLISHED_CODES))
def test_published_credit_codes_pass_the_check(name):
    code = PUBLISHED_CODES[name]
    assert _CREDIT.match(code) and credit_check_char(code) == code[17]
    # one character mistyped (or two swapped) changes the check character
    typo = code[:5] + ("1" if code[5] != "1" else "2") + code[6:]
    assert credit_check_char(typo) != typo[17]
    swapped = code[:9] + code[10] + code[9] + code[11:]
    assert swapped == code or credit_check_char(swapped) != swapped[17]


def test_check_char_covers_the_whole_alphabet():
    # 31 written as 0 (a sum divisible by 31), 30 as Y; a letter-led code (N2: a rural collective) too
    assert credit_check_char("0" * 17) == "0"
    assert credit_check_char("1" + "0" * 16) == "Y"  # 31 - 1
    code = "N2431100MA4Q0000" + "1"
    assert _CREDIT.match(code + credit_check_char(code))
    assert {credit_check_char(f"91430000{i:09d}") for i in range(2000)} == set("0123456789ABCDEFGHJKLMNPQRTUWXY")


def test_example_codes_carry_valid_check_characters():
    from openpyxl import load_workbook

    codes = [r[1] for r in load_workbook(EXAMPLE_XLSX, read_only=True).worksheets[0].iter_rows(min_row=2, values_only=True)]
    csv_codes = [line.split(",")[1] for line in EXAMPLE_CSV.read_text(encoding="utf-8").splitlines()[1:]]
    assert codes == csv_codes and len(codes) == 8
    assert all(credit_check_char(c) == c[17] for c in codes)


def test_wrong_check_character_is_a_bad_row(segments, tmp_path, run_cli):
    src = tmp_path / "名单.csv"
    lines = EXAMPLE_CSV.read_text(encoding="utf-8").splitlines()
    # row 3: the published code of 华为 with its last character changed; row 4: the code with two
    # characters swapped (a typical typing slip)
    lines[2] = lines[2].replace("914406053B4C5D6E7H", "914403001922038217")
    lines[3] = lines[3].replace("914310036C7D8E9F02", "914310036C7D8E9F20")
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep = import_export(src, segments, out_dir=tmp_path / "out")
    assert [b["row"] for b in rep["bad"]] == [3, 4]
    assert "统一社会信用代码校验位不对 '914403001922038217'" in rep["bad"][0]["reason"]
    assert "give check character 6, not 7" in rep["bad"][0]["reason"]
    assert rep["written"] is None and not (tmp_path / "out").exists()
    # through the CLI, as a malformed code: a line per bad row, the file named, exit 1, nothing written
    r = run_cli("import", str(src))
    assert r.code == 1
    assert "row 3: 统一社会信用代码校验位不对 '914403001922038217'" in r.err and "row 4: 统一社会信用代码校验位不对" in r.err
    assert f"2 bad row(s) in {src}; nothing imported" in r.err
    r = run_cli("import", str(src), "--skip-bad")
    assert r.code == 0, r.err
    assert "佛山市示例压铸科技有限公司" not in r.out and "东莞市示例精密电镀有限公司" in r.out


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
