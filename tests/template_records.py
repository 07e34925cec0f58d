"""Records typed from the seed's first two tables (六安市人民政府办公室 2021), plus a long synthetic one.

The text importer is another module; these tests of the filler must not depend on it.
"""

from __future__ import annotations

from lubudget_xl.model import Funds, Indicator, ProjectTarget
from lubudget_xl.values import parse_value

DEPT = "六安市人民政府办公室"


def _ind(l1: str, l2: str, l3: str, value: str) -> Indicator:
    return Indicator(level1=l1, level2=l2, level3=l3, value=value, parsed=parse_value(value))


def seed_projects() -> list[ProjectTarget]:
    hotline = ProjectTarget(
        year=2021,
        department=DEPT,
        name="市长热线工作经费",
        unit="六安市人民政府办公室本级",
        attribute="经常性项目",
        funds=Funds(total=156.0, fiscal=156.0, other=None),
        goal="通过本项目的实施,完成市长热线接听、记录、答复、转办、统计、督办、回访。统计市长热线所反映的重要社情民意,"
        "及时向市领导同志汇报,做好人民网省市长留言办理、政务服务网六安分厅办理、微博微信留言办理、市政府网站百姓畅言和"
        "部门信箱留言办理等工作内容,实现加强政府公共服务热线平台体系建设,方便群众和企业办事咨询,解决各级政府热线分散建设、"
        "重复建设、机制不健全、接通率低、信息化和便利化程度不高等问题,推动“四最营商环境”建设的工作目标。",
        indicators=[
            _ind("产出指标", "数量指标", "受理留言件次", "预计2020年受理量为18万件次。"),
            _ind("产出指标", "数量指标", "接线外包人数", "接线外包人数≥24"),
            _ind("产出指标", "质量指标", "留言事项办理率", "预算绩效目标值"),
            _ind("产出指标", "时效指标", "留言办理时间", "一般性问题5个工作日内答复"),
            _ind("产出指标", "成本指标", "项目总成本", "接线外包费136万元,通信服务费和设备维护费20万,督查督办经费4万元。"),
            _ind("效益指标", "社会效益指标", "便民服务水平", "进一步提高为民服务水平,方便群众和企业办事咨询"),
            _ind("效益指标", "可持续影响指标", "保障平台运转,处置各类事件", "保障市政府公共服务热线平台正常运转,确保快速高效处置各类事件。"),
            _ind("满意度指标", "服务对象满意度指标", "服务对象满意度指标", "受理事项群众满意率达92%以上。"),
        ],
    )
    web = ProjectTarget(
        year=2021,
        department=DEPT,
        name="市政府网站集约化平台、市政府政务微博微信客户端等电子政务信息系统运维经费",
        unit="六安市人民政府办公室本级",
        attribute="经常性项目",
        funds=Funds(total=72.3, fiscal=72.3, other=None),
        goal="通过本项目的实施,完成建设、维护好市政府网站集约化平台等电子政务信息系统工作内容,实现电子政务网站平稳运行工作目标。",
        indicators=[
            _ind("产出指标", "数量指标", "平台维护", "完成市政府网站集约化平台、网站英文翻译、新闻发布厅运维、短信MAS等4个项目维护"),
            _ind("产出指标", "质量指标", "平台正常运行保障", "确保市政府电子政务有效正常运转"),
            _ind("产出指标", "时效指标", "项目实施时限", "2021年内实施完毕"),
            _ind("产出指标", "成本指标", "项目总成本", "72.32万元"),
            _ind("效益指标", "社会效益指标", "提升电子政务数字化水平", "进一步提高我市电子政务数字化水平"),
            _ind("效益指标", "可持续影响指标", "市政府电子政务正常运转保障程度", "保障市政府电子政务长期有效正常运转"),
            _ind("满意度指标", "服务对象满意度指标", "服务对象满意度", "95%以上"),
        ],
    )
    return [hotline, web]


def long_project(rows: int = 45) -> ProjectTarget:
    """More indicator rows than the pre-formatted grid: the filler must grow the grid."""
    inds = [_ind("产出指标", "数量指标", f"培训场次{i}", f"≥{i}次") for i in range(1, rows - 1)]
    inds += [_ind("产出指标", "成本指标", "项目总成本", "≤50万元"), _ind("满意度指标", "服务对象满意度指标", "满意度", "≥90%")]
    return ProjectTarget(
        year=2021, department=DEPT, name="长表测试项目:培训[第一期]", unit="本级", attribute="一次性项目",
        funds=Funds(total=50, fiscal=40, other=10), goal="完成培训。", indicators=inds,
    )
