"""Real published forms (tests/fixtures/real) whose grids the text importer used to misread: level
names as other provinces print them (kept in `extra` as the workbook reader keeps them), names broken
across lines, columns beside the level-three name, rows that are not indicators, spaced layouts.
Each test reads the verbatim page and asserts the fields against its hand-written expectation.
"""

from __future__ import annotations

from real_corpus import CELL_KINDS, load_expected, read_and_compare
from real_corpus import FIXTURES as REAL

from lubudget_xl.textimport import import_text


def score(slug: str):
    return read_and_compare(REAL / f"{slug}.txt", load_expected(slug))


def rows(slug: str) -> list[tuple[str, str, str, str]]:
    (p,) = import_text(REAL / f"{slug}.txt").projects
    return [(i.level1, i.level2, i.level3, i.value) for i in p.indicators]


def test_zhaohua_level_names_broken_across_lines_kept_as_printed():
    """`项目完成` / `指标` and `项目效益` / `指标` on two lines: one level name each, mapped onto the
    catalogue (产出指标, 效益指标) with the printed name kept in extra."""
    sc = score("sichuan_guangyuan_zhaohua_2021_teshu_fuzhu")
    assert [m for m in sc.misses if not m.split("] ")[1].startswith("unit")] == []
    (p,) = import_text(REAL / "sichuan_guangyuan_zhaohua_2021_teshu_fuzhu.txt").projects
    first, social = p.indicators[0], p.indicators[5]
    assert (first.level1, first.level2, first.extra) == ("产出指标", "数量指标", {"一级指标(原文)": "项目完成指标"})
    assert first.locations["level1"].line == 24
    assert (social.level1, social.level2) == ("效益指标", "社会效益指标")
    assert social.extra == {"一级指标(原文)": "项目效益指标"}  # 社会效益 + 指标 is the catalogue's name


def test_xinjiang_level_one_printed_as_xiangmu_wancheng():
    """One cell per line: 项目完成 stands in the 一级指标 column (the older name of 产出指标): a level
    name, not an indicator row of its own."""
    sc = score("xinjiang_wenquan_2019_jumin_yibao")
    assert sc.rows_read == sc.rows_expected == 7
    assert all_right(sc, CELL_KINDS) == [], sc.misses
    got = rows("xinjiang_wenquan_2019_jumin_yibao")
    assert got[0] == ("产出指标", "数量指标", "基本医疗保险参保人数", "43230人")
    assert got[-1] == ("产出指标", "时效指标", "专项补助使用落实期限", "2019年1月-2019年12月")


def all_right(sc, kinds) -> list[str]:
    return [k for k in kinds if sc.expected[k] and sc.right[k] != sc.expected[k]]


def test_fengjie_single_spaced_form_with_a_stray_run_of_spaces():
    """Cells one space apart; one label split by a run of spaces (年度主要目标     和成果) no longer
    makes the whole file a runs-of-spaces layout. The 分值 column goes to extra, as in workbooks."""
    sc = score("chongqing_fengjie_2023_yunwu_jiagongyuan")
    assert sc.error is None
    assert sc.fields_right == sc.fields_expected == 12, sc.misses
    (p,) = import_text(REAL / "chongqing_fengjie_2023_yunwu_jiagongyuan.txt").projects
    (ind,) = p.indicators
    # 成本指标(0-20)分 is 成本指标 with its score: not a different name, so not repeated in extra
    assert (ind.level1, ind.extra) == ("成本指标", {"分值": "10"})
    assert ind.note is None and ind.locations["extra.分值"].line == 23
    assert p.goal.startswith("新建中药材晾晒房一座") and p.locations["goal"].line == 13


def test_taibao_target_series_grid_with_numbered_rows():
    """福建 2017: 绩效目标 | 评价指标 | 绩效内容 | 绩效标准 | 全年绩效目标, rows numbered 目标1/目标2, level
    names 投入/产出 and 成本目标/数量目标 kept as printed; 绩效标准 in extra."""
    sc = score("fujian_taibao_lianyihui_2017_fupin_jikun")
    assert sc.error is None
    assert all_right(sc, ("name", *CELL_KINDS)) == [], sc.misses
    (p,) = import_text(REAL / "fujian_taibao_lianyihui_2017_fupin_jikun.txt").projects
    first, third = p.indicators[0], p.indicators[2]
    assert (first.level1, first.level3, first.value) == ("投入", "发放省直困难、高龄台胞", "按实际情况发放")
    assert first.extra == {"二级指标(原文)": "成本目标", "绩效标准": "100%"}
    assert third.extra["一级指标(原文)"] == "产出" and third.level1 == "产出指标"
    assert third.extra["绩效标准"] == "台胞困难户每月每人200元、高龄补贴(没退休金每月每人300元、有退休金200元)"


def test_hengyang_special_fund_form_with_group_captions_and_a_horizontal_fund_grid():
    """湖南 专项 form in `|` cells: 专项基本情况 | 专项名称 | … (a group caption left of the label), the
    funds as a grid (本年度预计投入 | 财政资金 | 其他, under 财政资金 中央 | 省级 | 市级资金 | 本级, then
    the amounts), the grid headed 专项年度绩效指标 | 一级指标 | … with rows shifted one cell left."""
    sc = score("hunan_hengyang_nanyue_2023_yulu_jihua")
    assert sc.error is None
    assert sc.fields_right == sc.fields_expected == 18, sc.misses
    (p,) = import_text(REAL / "hunan_hengyang_nanyue_2023_yulu_jihua.txt").projects
    assert (p.funds.total, p.funds.fiscal, p.funds.other) == (7.0, 7.0, 0.0)
    assert p.funds.extra == {"中央": 0.0, "省级": 7.0, "市级资金": 0.0, "本级": 0.0}
    assert p.locations["funds.total"].line == 12
    assert p.extra["专项概况"] == "对就读职业技术学校的脱贫户或监测户子女发放就学补助"
    assert [(i.level2, i.level3) for i in p.indicators][:3] == [
        ("数量指标", "年度申请就学补助户数"), ("质量指标", "逾期发放率"), ("时效指标", "就学补助及时发放率")]


def cut_rows(slug: str) -> list[tuple[int, str, str]]:
    result = import_text(REAL / f"{slug}.txt")
    return [(i.location.line, i.params["level3"], i.params["reason"]) for i in result.issues if i.code == "IMPORT_CUT_ROW"]


def test_excerpts_that_stop_inside_the_last_row_read_no_spurious_row():
    """Texts cut inside the grid's last row: the cut row is reported, never read as an indicator; the
    rows before it are read whole (the row count is the printed one)."""
    cases = {
        # `成本指标 | 气` where every other `|` row is closed
        "henan_puyang_2021_danganguan_xiaofang": (28, "成本指标", "最后一行没有以“|”结束"),
        # one cell per line, the value cut to its sign
        "anhui_bozhou_mengcheng_2024_gonggong_weisheng": (67, "0-6 岁儿童眼保健和视力检查覆盖率", "指标值只有符号“≧”"),
        # single spaces: 目标3 困难台胞助学款 定 (the 绩效标准 cell cut, no value)
        "fujian_taibao_lianyihui_2017_fupin_jikun": (17, "困难台胞助学款", "没有指标值"),
    }
    for slug, cut in cases.items():
        sc = score(slug)
        assert sc.rows_read == sc.rows_expected, (slug, sc.rows_read)
        assert all_right(sc, ("level3", "value")) == [], sc.misses
        assert cut_rows(slug) == [cut]
    # a whole text whose last row is complete is not cut
    assert cut_rows("hubei_wuhan_qingshan_2020_jichu_sheshi") == []
    assert cut_rows("hunan_yueyang_xian_2022_gaobiaozhun_nongtian") == []


def test_review_block_under_the_grid_is_not_indicators():
    """湖南 南岳 2018: 财政部门支出股室初审意见 (盖章), …审核意见 under the grid end the form; `( ≥**个 )`
    inside a name is not cut at its spaces."""
    sc = score("hunan_hengyang_nanyue_2018_fupin_jidi")
    assert sc.rows_read == sc.rows_expected == 16
    assert all_right(sc, CELL_KINDS) == [], sc.misses
    result = import_text(REAL / "hunan_hengyang_nanyue_2018_fupin_jidi.txt")
    skipped = [i.location.line for i in result.issues if i.params.get("reason") == "表格之后的审核、签章栏"]
    assert skipped == [31, 33, 35]


def test_ezhou_flattened_two_level_grid_is_read():
    """鄂州: a .docx preview flattened into one line; the grid 一级指标 | 二级指标 | 绩效标准 | 当年预期实现值
    has level twos in its first column and the indicator in the second; the 绩效标准 text (反映…) goes to
    extra. It ended in IMPORT_GRID_EMPTY."""
    sc = score("hubei_ezhou_2022_binhu_dalou")
    assert sc.rows_read == sc.rows_expected == 6
    assert all_right(sc, ("goal", *CELL_KINDS)) == [], sc.misses
    result = import_text(REAL / "hubei_ezhou_2022_binhu_dalou.txt")
    assert not [i for i in result.issues if i.code == "IMPORT_GRID_EMPTY"]
    first = result.projects[0].indicators[0]
    assert (first.level2, first.level3, first.value) == ("数量指标", "办公大楼日常维修维护次数", "2280次")
    assert first.extra == {"绩效标准": "反映办公大楼全年维修维护情况"}
    assert result.projects[0].indicators[-1].value == "不超预算"
    # the last row (水电气消耗下降率 … >) is where the excerpt stops
    assert [(i.params["level3"]) for i in result.issues if i.code == "IMPORT_CUT_ROW"] == ["水电气消耗下降率"]


def test_linhai_two_level_grid_without_level_three_names():
    """临海: 指标类型 | 指标名称 | 指标值 | 指标描述: 指标名称 holds the level two; the rows have no level-three
    name, the value and the description follow it (also on rows whose level one is merged away)."""
    sc = score("zhejiang_linhai_lvhua_yanghu")
    assert sc.fields_right == sc.fields_expected == 23, sc.misses
    (p,) = import_text(REAL / "zhejiang_linhai_lvhua_yanghu.txt").projects
    got = [(i.level1, i.level2, i.level3, i.value, i.note) for i in p.indicators[:2]]
    assert got == [
        ("产出指标", "数量指标", "", "375万平方米", "完成全市375万平方米的绿地养护、维护等"),
        ("产出指标", "质量指标", "", "100%", "达到绿化绿地全覆盖"),
    ]


def test_changde_content_column_is_kept_in_extra():
    """常德: 三级指标 | 指标内容 | 指标值 | 绩效标准, every row glued (补助人数实际发放解困工资人数250人计划标准).
    The name ends where a measured quantity ends (…人数, …率, …标准, …成本); 指标内容 and 绩效标准 go to
    the indicator's extra under their printed headings, as the workbook reader keeps such columns."""
    sc = score("hunan_changde_taoyuan_2021_zaijiuye_gangwei")
    assert sc.fields_right == sc.fields_expected == 37, sc.misses
    (p,) = import_text(REAL / "hunan_changde_taoyuan_2021_zaijiuye_gangwei.txt").projects
    first, cost = p.indicators[0], p.indicators[5]
    assert (first.level3, first.value, first.note) == ("补助人数", "250人", None)
    assert first.extra == {"指标内容": "实际发放解困工资人数", "绩效标准": "计划标准"}
    assert first.locations["extra.指标内容"].line == 23
    assert (cost.level3, cost.value, cost.extra["指标内容"]) == ("补贴标准", "1130元/月/人", "解困工资发放标准")
    assert p.goal.startswith("通过本项目实施") and p.extra["专项长期绩效目标"].startswith("组织实施")


def test_dongguan_heading_over_six_lines_and_halves_side_by_side():
    """东莞 批复表 in `|` cells: the name on the line after `项目 名称 |` with the fund columns beside it;
    中期滚动目标 | 年度目标 side by side with their texts on the next row; the grid's heading spread over
    six lines, its long-term (中期) half and annual half side by side: the annual half is read."""
    sc = score("guangdong_dongguan_2019_zhenji_lianwanglu")
    assert sc.fields_right == sc.fields_expected == 25, sc.misses
    (p,) = import_text(REAL / "guangdong_dongguan_2019_zhenji_lianwanglu.txt").projects
    assert (p.name, p.funds.fiscal, p.funds.extra) == ("镇际联网路升级改造工程一期", 919.0, {"中期市财政预算": 284500.0})
    assert p.goal.startswith("督促勘察设计单位") and p.extra["中期滚动目标"] == "新建或改造道路,共29个项目,规划里程169公里。"
    third, last = p.indicators[2], p.indicators[4]
    # 时效指标(工期指标、形象进度指标) is 时效指标 with a note: not a different name (as in workbooks)
    assert (third.level1, third.level2, third.extra) == ("产出指标", "时效指标", {"一级指标(原文)": "预期产出指标"})
    assert (last.level1, last.level2, last.level3, last.value) == ("效益指标", "社会、经济、生态效益 指标", "补助款结算争议率", "0%")


def test_huangshi_value_subheadings_mid_block_level_one_and_signature_row():
    """黄石 批复表: 指标值 sub-headed 2021年实际实现值 | 预期2022年实现值 (not an indicator), the merged
    产出指标 cell exported on the fifth row (its level two 数量指标 carries on), 项目金额 | 164万元 among the
    header rows (no 项目资金 label), and the seal row under the grid (…科室(盖章) 年 月 日) ends the form."""
    sc = score("hubei_huangshi_2022_dangxiao_zhutiban")
    assert sc.fields_right == sc.fields_expected == 58, sc.misses
    result = import_text(REAL / "hubei_huangshi_2022_dangxiao_zhutiban.txt")
    (p,) = result.projects
    assert (p.funds.total, p.funds.fiscal) == (164.0, 132.0)
    assert [(i.level2, i.level3) for i in p.indicators[3:6]] == [
        ("数量指标", "理论教育和党性教育课时比例"), ("数量指标", "开设课程数量"), ("质量指标", "培训完成率")]
    assert not [i for i in result.issues if i.severity != "info"]


def test_wuhai_direction_and_sign_columns():
    """乌海: 指标性质 (正向/反向) and 指标方向 (=) are both sign columns by name: the comparison is the later;
    the direction and the 分值 go to extra. 资金总额 3 stands among the header rows."""
    sc = score("neimenggu_wuhai_2021_zaisheng_ziyuan")
    assert sc.fields_right == sc.fields_expected == 51, sc.misses
    (p,) = import_text(REAL / "neimenggu_wuhai_2021_zaisheng_ziyuan.txt").projects
    second = p.indicators[1]
    assert (second.sign, second.value, second.unit) == ("=", "24", "人/次")
    assert second.extra == {"指标性质": "正向", "分值": "4"}
    assert (p.funds.total, p.funds.fiscal, p.funds.other) == (3.0, 3.0, 0.0)


def test_xiangtan_empty_level_two_rows_and_fields_under_the_grid():
    """湘潭 2023/2024, one cell per line: empty 经济效益指标 / 生态效益指标 / 可持续影响指标 rows (a level name
    and empty cells) are rows of their own, not piled onto the next row; satisfaction printed under
    效益指标 moves as in workbooks; 财政部门审核意见 and 其他需说明的问题 under the grid end it."""
    for slug in ("hunan_xiangtan_2023_wupaoche", "hunan_xiangtan_2024_wupaoche"):
        sc = score(slug)
        assert sc.rows_read == sc.rows_expected == 7
        assert all_right(sc, CELL_KINDS) == [], sc.misses
        result = import_text(REAL / f"{slug}.txt")
        assert not [i for i in result.issues if i.severity != "info"], slug
        social, satisfaction = result.projects[0].indicators[-2:]
        assert (social.level2, social.level3) == ("社会效益指标", "服务周期内,市民对空气质量改善的满意程度")
        assert (satisfaction.level1, satisfaction.extra["一级指标(原文)"]) == ("满意度指标", "效益指标")
    (p,) = import_text(REAL / "hunan_xiangtan_2024_wupaoche.txt").projects
    assert (p.funds.total, p.funds.fiscal, p.funds.other) == (250.0, 250.0, 0.0)  # 一、预算资金:250
    assert p.extra["其他需说明的问题"] == "主管"


def test_ningxia_level_two_with_note_before_a_row_without_value():
    """宁夏 原州: `经济效益 指标 (选填) | 增加就业机会,提高农民收入。`: a level name with its note, then a
    level-three name whose value cell is empty: the level is a level, the sentence the name."""
    sc = score("ningxia_guyuan_yuanzhou_2022_shuiyuan_hanyanglin")
    assert sc.fields_right == sc.fields_expected == 47, sc.misses
    (p,) = import_text(REAL / "ningxia_guyuan_yuanzhou_2022_shuiyuan_hanyanglin.txt").projects
    economic = p.indicators[7]
    assert (economic.level2, economic.level3, economic.value) == ("经济效益指标", "增加就业机会,提高农民收入。", "")


def test_gansu_flattened_form_funds_unit_and_values():
    """甘肃 嘉峪关, flattened with OCR noise: 组织实施单位 is not the unit (项目实施单位 is); the funds are
    预算申报数 20 (total), 中央补助安排 0 + 省级财政安排 0 (fiscal), 其他资金 20; 资金性质 一般公共预算 is a
    field and its value, not a fund row; …及时率%=99百分比 keeps its % with the value; 长远 and 提升
    end a row as values."""
    sc = score("gansu_jiayuguan_2023_bowuguan_mianfei_kaifang")
    assert all_right(sc, ("unit", "funds.total", "funds.fiscal", "funds.other")) == [], sc.misses
    p = next(p for p in import_text(REAL / "gansu_jiayuguan_2023_bowuguan_mianfei_kaifang.txt").projects
             if p.name == "博物馆纪念馆市级免费开放补助资金")
    assert p.unit == "嘉峪关城市博物馆" and p.extra["组织实施单位"] == "甘肃省文物局"
    assert p.extra["资金性质"] == "一般公共预算"
    assert [(i.level3, i.value) for i in p.indicators[2:6]] == [
        ("各项工作完成及时率", "%=99百分比"), ("资金使用效率", "二100百分比"),  # OCR: 二 for =, kept as printed
        ("对当地文物保护、文化传承影响", "长远"), ("提升博物馆绿化水平", "提升")]
    # 满意度指标|服务对象满意度|服务对象满意度|%=99百分比: the level two printed without 指标, then the name
    last = p.indicators[-1]
    assert (last.level2, last.level3, last.value) == ("服务对象满意度指标", "服务对象满意度", "%=99百分比")
    assert last.extra["二级指标(原文)"] == "服务对象满意度"


def test_tongnan_one_level_grid_with_empty_cells_one_per_line():
    """重庆 潼南, one `|` cell per line: a grid with one level (指标 | 指标权重 | 计量单位 | 指标性质 | 指标值),
    empty cells printed as a lone `|` (定性 rows have no unit and no value), the next table's number
    (表十二) and title after the last row. No level is printed, so none is asked for."""
    sc = score("chongqing_tongnan_wugui_2023_yibanxing_xiangmu")
    assert sc.fields_right == sc.fields_expected == 26, sc.misses
    result = import_text(REAL / "chongqing_tongnan_wugui_2023_yibanxing_xiangmu.txt")
    first = result.projects[0]
    assert [(i.level3, i.sign, i.value, i.unit) for i in first.indicators[1:3]] == [
        ("是否按时足额发放", "≥", "95", "%"), ("促进社会和谐", "定性", "", None)]
    assert first.indicators[2].extra == {"指标权重": "20"}
    assert not [i for i in result.issues if i.severity != "info"]


def test_goals_as_other_provinces_print_them():
    """蒙城 prints only 总体 目标 (the project's goal then) and a name whose 项目 ends a line before
    主管部门及代码 (not the label 项目主管部门); 淮北 clips 年度目标 to 年度; 南岳 2018 prints an empty
    年度总体目标完成情况 column beside 年度目标; 台胞 prints only 总体绩效目标."""
    for slug in ("anhui_bozhou_mengcheng_2024_gonggong_weisheng", "anhui_huaibei_2025_songxi_jinwancun",
                 "hunan_hengyang_nanyue_2018_fupin_jidi", "fujian_taibao_lianyihui_2017_fupin_jikun"):
        sc = score(slug)
        assert all_right(sc, ("name", "goal")) == [], sc.misses
    (p,) = import_text(REAL / "anhui_bozhou_mengcheng_2024_gonggong_weisheng.txt").projects
    assert p.name == "国家基本公共卫生服务项目" and p.funds.fiscal == 2279.048  # 其中:财政投款, as printed
    assert p.goal == p.extra["总体目标"] and p.locations["goal"].line == 43
    (p,) = import_text(REAL / "anhui_huaibei_2025_songxi_jinwancun.txt").projects
    assert p.goal.startswith("文化惠民工程") and p.locations["goal"].line == 41  # its first line of text
    (p,) = import_text(REAL / "hunan_hengyang_nanyue_2018_fupin_jidi.txt").projects
    assert p.goal == "为水濂村带来观光游客不少于6万人,村集体收入达6万元。"


def test_rongchang_name_label_with_a_note_and_fund_sources():
    """荣昌: 项目(专项)名称 after a list of the department's projects (whose headings had left the scanner
    in the grid); the funds 1.中央资金 … 4.其他资金 one cell per line, only 市级资金 filled."""
    sc = score("chongqing_rongchang_2022_daqinggang_lvhua")
    assert sc.fields_right == sc.fields_expected == 19, sc.misses
    (p,) = import_text(REAL / "chongqing_rongchang_2022_daqinggang_lvhua.txt").projects
    assert (p.funds.total, p.funds.fiscal, p.funds.extra["市级资金"]) == (153.5184, 153.5184, 153.5184)
    assert p.extra["项目负责人"] == "胡正君"


def test_forms_without_an_implementing_unit_row_take_the_submitting_unit():
    """预算单位 (温泉, 昭化) or 预算部门 (湘潭 2023) and no 实施单位 row: the submitting unit carries the
    project out, as the workbook reader reads the same forms."""
    for slug, unit in (("xinjiang_wenquan_2019_jumin_yibao", "温泉县医疗保障局"),
                       ("sichuan_guangyuan_zhaohua_2021_teshu_fuzhu", "区卫生健康局"),
                       ("hunan_xiangtan_2023_wupaoche", "湘潭市环境卫生管理处")):
        sc = score(slug)
        assert sc.fields_right == sc.fields_expected, sc.misses
        (p,) = import_text(REAL / f"{slug}.txt").projects
        assert p.unit == p.department == unit and p.locations["unit"] == p.locations["department"]


def test_a_closed_last_row_is_whole_even_without_value(tmp_path):
    """The same excerpt with its last cell closed (`经济效益 |`, then the row separator): the row is the
    table's own last row, printed without a value, and is read, not reported as cut."""
    text = (REAL / "shaanxi_qingjian_2021_guoyuan_lu.txt").read_text(encoding="utf-8")
    closed = tmp_path / "closed.txt"
    closed.write_text(text.rstrip() + " |\n|||||\n", encoding="utf-8")
    result = import_text(closed)
    assert [i.code for i in result.issues if i.code == "IMPORT_CUT_ROW"] == []
    assert (result.projects[0].indicators[-1].level3, result.projects[0].indicators[-1].value) == ("经济效益", "")
