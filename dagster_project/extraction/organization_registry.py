"""Curated registry of the bodies named in the source: reviewed knowledge, kept apart from parsing.

Every entry was checked by reading the source (source-catalog §6.1–§6.3, §9.6): the canonical body,
its full official name (inferred where the text never prints it, as §6.1 marks with 〔推断〕), the
form the documents print most often, and every written form. ``organizations.py`` scans the
source for these forms to build the alias table (so each alias carries its first real line) and
compiles them into the resolver's lookup dictionary.

org_id scheme (stable, readable ASCII slugs, never derived from row order):

* ``lf-<english-slug>``  a body of Langfang city (municipal level), e.g. ``lf-finance`` for 市财政局,
  ``lf-cpc-publicity`` for 市委宣传部, ``lf-pboc`` for 人行廊坊市中心支行;
* ``lf-government`` / ``lf-general-office``  the municipal government and its general office;
* ``gov-<pinyin of the region>``  a region's government, e.g. ``gov-sanhe`` (三河市人民政府),
  ``gov-langfang-edz`` (廊坊开发区管委会);
* ``pla-<unit number>``, ``cnpc-pipeline-bureau``  bodies that are not Langfang's own.

Written forms come in three kinds:

* ``forms``: forms with their own prefix (市…, 廊坊…, 人行…, 中国…); counted wherever they occur,
  except that a form starting with 市 must not continue a place name (三河市财政局 is a county body);
* ``bare``: forms without a prefix (工商局, 编办, 卫计委); counted only in list positions (after 、，；（
  or 会同/联合/及/和), because outside lists they name county bodies (永清县财政局) or national ones;
  every ``市X`` form also yields the bare candidate ``X`` automatically;
* ``FUNCTIONAL_NAMES``: functional names (发展改革部门 → 市发改委, §6.3), counted anywhere.
"""
from __future__ import annotations

from dataclasses import dataclass, field

KINDS = (
    "government_department", "party_organ", "people_organization", "military", "central_vertical",
    "financial_institution", "enterprise", "court_procuratorate", "region_government", "deliberative_body",
    "other",
)
LEVELS = ("national", "provincial", "municipal", "county")

GOV_DEPT = "government_department"
PARTY = "party_organ"
PEOPLE = "people_organization"
MILITARY = "military"
VERTICAL = "central_vertical"
FINANCIAL = "financial_institution"
ENTERPRISE = "enterprise"
COURT = "court_procuratorate"
REGION_GOV = "region_government"
DELIBERATIVE = "deliberative_body"
OTHER = "other"

MUNICIPAL = "municipal"
NATIONAL = "national"
COUNTY = "county"

# Dates the 2015 reform sets (source lines 8345–8541, 〔2015〕158号 signed 2015-11-25).
HEALTH_COMMISSION_FROM = "2015-11-25"
HEALTH_PREDECESSORS_TO = "2015-11-24"


@dataclass(frozen=True)
class OrgSpec:
    org_id: str
    name: str                      # full official name (inferred where never printed)
    short_name: str                # the form printed most often
    kind: str
    level: str
    forms: tuple[str, ...] = ()    # prefixed written forms, matched anywhere
    bare: tuple[str, ...] = ()     # unprefixed forms, matched in list positions only
    parent_org_id: str = ""
    valid_from: str = ""
    valid_to: str = ""
    region_code: str = ""          # for region governments: the region they govern
    evidence_line: int = 0         # for bodies never printed: the line that implies them
    notes: str = field(default="", compare=False)


def _o(org_id, name, short_name, kind, forms, level=MUNICIPAL, **extra) -> OrgSpec:
    return OrgSpec(org_id=org_id, name=name, short_name=short_name, kind=kind, level=level, forms=tuple(forms), **extra)


ORGANIZATIONS: tuple[OrgSpec, ...] = (
    # --- the municipal government itself and its general office -------------------------------
    _o("lf-government", "廊坊市人民政府", "市政府", REGION_GOV, ("廊坊市人民政府", "廊坊市政府", "市人民政府", "市政府"),
       region_code="131000"),
    _o("lf-general-office", "廊坊市人民政府办公室", "市政府办公室", GOV_DEPT,
       ("廊坊市人民政府办公室", "市政府办公室", "市政府办")),
    # --- government departments (工作部门/直属机构) ----------------------------------------------
    _o("lf-development-reform", "廊坊市发展和改革委员会", "市发改委", GOV_DEPT,
       ("市发改委", "市发展和改革委员会", "市发展改革委", "市发展和改革委")),
    _o("lf-education", "廊坊市教育局", "市教育局", GOV_DEPT, ("市教育局", "市教育厅")),
    _o("lf-science-technology", "廊坊市科学技术局", "市科技局", GOV_DEPT, ("市科技局", "市科学技术局")),
    _o("lf-industry-it", "廊坊市工业和信息化局", "市工信局", GOV_DEPT, ("市工信局", "市工业和信息化局")),
    _o("lf-public-security", "廊坊市公安局", "市公安局", GOV_DEPT, ("市公安局",)),
    _o("lf-state-security", "廊坊市国家安全局", "市国家安全局", GOV_DEPT, ("市国家安全局", "市安全局")),
    _o("lf-civil-affairs", "廊坊市民政局", "市民政局", GOV_DEPT, ("市民政局",)),
    _o("lf-justice", "廊坊市司法局", "市司法局", GOV_DEPT, ("市司法局",)),
    _o("lf-finance", "廊坊市财政局", "市财政局", GOV_DEPT, ("市财政局", "市财政厅")),
    _o("lf-human-resources", "廊坊市人力资源和社会保障局", "市人社局", GOV_DEPT,
       ("市人社局", "市人力资源和社会保障局", "市人力资源社会保障厅", "市人力资源社会保障局")),
    _o("lf-land-resources", "廊坊市国土资源局", "市国土资源局", GOV_DEPT, ("市国土资源局", "市国土局")),
    _o("lf-environment", "廊坊市环境保护局", "市环保局", GOV_DEPT, ("市环保局", "市环境保护局")),
    _o("lf-construction", "廊坊市建设局", "市建设局", GOV_DEPT, ("市建设局",)),
    _o("lf-urban-planning", "廊坊市城乡规划局", "市规划局", GOV_DEPT, ("市规划局", "市城乡规划局")),
    _o("lf-housing", "廊坊市房产管理局", "市房管局", GOV_DEPT, ("市房管局",)),
    _o("lf-transport", "廊坊市交通运输局", "市交通运输局", GOV_DEPT, ("市交通运输局", "市交通局")),
    _o("lf-water", "廊坊市水务局", "市水务局", GOV_DEPT, ("市水务局", "市水利局")),
    _o("lf-agriculture", "廊坊市农业局", "市农业局", GOV_DEPT, ("市农业局",)),
    _o("lf-forestry", "廊坊市林业局", "市林业局", GOV_DEPT, ("市林业局",)),
    _o("lf-commerce", "廊坊市商务局", "市商务局", GOV_DEPT, ("市商务局",)),
    _o("lf-culture-media", "廊坊市文化广播电影电视新闻出版局", "市文广新局", GOV_DEPT,
       ("市文广新局", "市文化广播电影电视新闻出版局")),
    _o("lf-health-family-planning", "廊坊市卫生和计划生育委员会", "市卫计委", GOV_DEPT,
       ("市卫计委", "市卫生和计划生育委员会", "廊坊市卫生和计划生育委员会", "市卫生计生委", "市计委"),
       valid_from=HEALTH_COMMISSION_FROM,
       notes="市计委 (7797) is a typo for 市卫计委; the body is already named in August documents (689)"),
    _o("lf-health-bureau", "廊坊市卫生局", "市卫生局", GOV_DEPT, (), valid_to=HEALTH_PREDECESSORS_TO,
       evidence_line=8364,
       notes="never printed; the predecessor the 卫计委 (设立 8364) merged, inferred from the reform"),
    _o("lf-population-family-planning", "廊坊市人口和计划生育委员会", "市人口和计划生育委员会", GOV_DEPT,
       ("市人口和计划生育委员会",), valid_to=HEALTH_PREDECESSORS_TO),
    _o("lf-audit", "廊坊市审计局", "市审计局", GOV_DEPT, ("市审计局",)),
    _o("lf-sasac", "廊坊市人民政府国有资产监督管理委员会", "市国资委", GOV_DEPT, ("市国资委",)),
    _o("lf-industry-commerce", "廊坊市工商行政管理局", "市工商局", GOV_DEPT,
       ("市工商局", "市工商行政管理局", "廊坊市工商行政管理局")),
    _o("lf-quality-supervision", "廊坊市质量技术监督局", "市质监局", GOV_DEPT,
       ("市质监局", "市质量技术监督局", "廊坊市质量技术监督局")),
    _o("lf-work-safety", "廊坊市安全生产监督管理局", "市安监局", GOV_DEPT, ("市安监局", "市安全生产监督管理局")),
    _o("lf-food-drug", "廊坊市食品药品监督管理局", "市食品药品监督管理局", GOV_DEPT,
       ("市食品药品监督管理局", "市食药监局", "市食品药品监管局")),
    _o("lf-statistics", "廊坊市统计局", "市统计局", GOV_DEPT, ("市统计局",)),
    _o("lf-sports", "廊坊市体育局", "市体育局", GOV_DEPT, ("市体育局",)),
    _o("lf-tourism", "廊坊市旅游局", "市旅游局", GOV_DEPT, ("市旅游局",)),
    _o("lf-prices", "廊坊市物价局", "市物价局", GOV_DEPT, ("市物价局",)),
    _o("lf-grain", "廊坊市粮食局", "市粮食局", GOV_DEPT, ("市粮食局",)),
    _o("lf-ethnic-religious", "廊坊市民族宗教事务局", "市民宗局", GOV_DEPT, ("市民宗局", "廊坊市民族宗教事务局")),
    _o("lf-supervision", "廊坊市监察局", "市监察局", GOV_DEPT, ("市监察局",)),
    _o("lf-petitions", "廊坊市信访局", "市信访局", GOV_DEPT, ("市信访局",)),
    _o("lf-urban-management", "廊坊市城市管理综合执法局", "市综合执法局", GOV_DEPT, ("市综合执法局",)),
    _o("lf-civil-air-defence", "廊坊市人民防空办公室", "市人防办", GOV_DEPT, ("市人防办",)),
    _o("lf-foreign-affairs", "廊坊市外事办公室", "市外办", GOV_DEPT, ("市外办",)),
    _o("lf-taiwan-affairs", "廊坊市台湾事务办公室", "市台办", GOV_DEPT, ("市台办",)),
    _o("lf-sanitation", "廊坊市环境卫生管理局", "市环卫局", GOV_DEPT, ("市环卫局",)),
    _o("lf-landscaping", "廊坊市园林局", "市园林局", GOV_DEPT, ("市园林局",)),
    _o("lf-earthquake", "廊坊市地震局", "市地震局", GOV_DEPT, ("市地震局",)),
    _o("lf-secrecy", "廊坊市保密局", "市保密局", GOV_DEPT, ("市保密局",)),
    # --- offices of the municipal government (办事机构) ------------------------------------------
    _o("lf-financial-affairs", "廊坊市人民政府金融工作办公室", "市政府金融办", GOV_DEPT,
       ("市政府金融办", "市金融办", "市政府金融工作办公室", "廊坊市地方金融监督管理局"),
       notes="加挂廊坊市地方金融监督管理局牌子 (891)"),
    _o("lf-legal-affairs", "廊坊市人民政府法制办公室", "市法制办", GOV_DEPT,
       ("市法制办", "市政府法制办", "廊坊市人民政府法制办公室")),
    _o("lf-credit-office", "廊坊市人民政府信用办公室", "市政府信用办", GOV_DEPT, ("市政府信用办", "市政府信用办公室")),
    _o("lf-government-services", "廊坊市政务服务管理办公室", "市政务办", GOV_DEPT, ("市政务办",)),
    _o("lf-cyberspace", "廊坊市互联网信息办公室", "市网信办", GOV_DEPT, ("市网信办", "市互联网信息办公室")),
    _o("lf-research-office", "廊坊市人民政府研究室", "市政府研究室", GOV_DEPT, ("市政府研究室",)),
    _o("lf-inspection-office", "廊坊市人民政府督查室", "市政府督查室", GOV_DEPT, ("市政府督查室", "市政府督查办公室")),
    _o("lf-information-disclosure", "廊坊市政府信息公开办公室", "市政府信息公开办", GOV_DEPT, ("市政府信息公开办",)),
    _o("lf-emergency-office", "廊坊市人民政府应急管理办公室", "市政府应急办", GOV_DEPT, ("市政府应急办",)),
    _o("lf-establishment-office", "廊坊市机构编制委员会办公室", "市编办", GOV_DEPT,
       ("市编办", "市编委办", "廊坊市机构编制委员会办公室", "市机构编制委员会办公室")),
    _o("lf-approval-reform-office", "廊坊市行政审批制度改革工作领导小组办公室", "市审改办", DELIBERATIVE,
       ("市审改办（市编办）", "市审改办"), parent_org_id="lf-establishment-office",
       notes="市审改办（市编办）: the office sits in the 编办 (5143, 5166)"),
    _o("lf-healthcare-reform-office", "廊坊市深化医药卫生体制改革领导小组办公室", "市医改办", DELIBERATIVE,
       ("市医改办", "廊坊市深化医药卫生体制改革领导小组办公室", "市深化医药卫生体制改革领导小组办公室"),
       parent_org_id="lf-health-family-planning",
       notes="体制改革科（廊坊市深化医药卫生体制改革领导小组办公室）of the 卫计委 (8452)"),
    _o("lf-patriotic-health-office", "廊坊市爱国卫生运动委员会办公室", "市爱卫办", DELIBERATIVE,
       ("市爱卫办", "市爱卫会办公室")),
    _o("lf-county-town-office", "廊坊市县城建设办公室", "市县城办", GOV_DEPT, ("市县城办",)),
    _o("lf-airport-office", "廊坊市新机场建设办公室", "市机场办", GOV_DEPT, ("市机场办",)),
    _o("lf-paidiao-office", "廊坊市排调办", "市排调办", GOV_DEPT, ("市排调办",),
       notes="full name never printed"),
    _o("lf-poverty-alleviation", "廊坊市扶贫开发办公室", "市扶贫办", GOV_DEPT, ("市扶贫办",)),
    _o("lf-agri-development-office", "廊坊市农业综合开发办公室", "市农业开发办", GOV_DEPT, ("市农业开发办",)),
    _o("lf-agri-industrialisation-office", "廊坊市农业产业化办公室", "市农业产业化办", GOV_DEPT, ("市农业产业化办",)),
    _o("lf-ageing-committee", "廊坊市老龄工作委员会", "市老龄委", DELIBERATIVE, ("市老龄委",)),
    _o("lf-disability-work-committee", "廊坊市残疾人工作委员会", "市残疾人工作委员会", DELIBERATIVE,
       ("市残疾人工作委员会",)),
    _o("lf-house-expropriation-office", "廊坊市人民政府国有土地上房屋征收办公室",
       "廊坊市人民政府国有土地上房屋征收办公室", GOV_DEPT, ("廊坊市人民政府国有土地上房屋征收办公室",)),
    _o("lf-investment-review-centre", "廊坊市财政投资评审中心", "廊坊市财政投资评审中心", OTHER,
       ("廊坊市财政投资评审中心",)),
    _o("lf-tcm-administration", "廊坊市中医药管理局", "市中医药管理局", GOV_DEPT, ("市中医药管理局",),
       bare=("中医药管理局",), parent_org_id="lf-health-family-planning",
       notes="挂在市卫计委中医科 (8468)"),
    # --- party organs ---------------------------------------------------------------------------
    _o("lf-cpc-organisation", "中共廊坊市委组织部", "市委组织部", PARTY, ("市委组织部",)),
    _o("lf-cpc-publicity", "中共廊坊市委宣传部", "市委宣传部", PARTY, ("市委宣传部",)),
    _o("lf-cpc-united-front", "中共廊坊市委统战部", "市委统战部", PARTY, ("市委统战部", "中共廊坊市委统战部")),
    _o("lf-cpc-rural-work", "中共廊坊市委农村工作部", "市委农工部", PARTY, ("市委农工部",)),
    _o("lf-cpc-political-legal", "中共廊坊市委政法委员会", "市委政法委", PARTY, ("市委政法委",)),
    _o("lf-comprehensive-governance", "廊坊市社会治安综合治理委员会办公室", "市综治办", PARTY, ("市综治办",)),
    _o("lf-civilisation-office", "廊坊市精神文明建设委员会办公室", "市文明办", PARTY, ("市文明办",)),
    _o("lf-cpc-organs-work-committee", "中共廊坊市直属机关工作委员会", "市直工委", PARTY, ("市直工委",)),
    _o("lf-cpc-general-office", "中共廊坊市委办公室", "中共廊坊市委办公室", PARTY, ("中共廊坊市委办公室",)),
    _o("lf-cpc-party-school", "中共廊坊市委党校", "中共廊坊市委党校", PARTY, ("中共廊坊市委党校",)),
    # --- people's congress, CPPCC, courts -------------------------------------------------------
    _o("lf-npc-standing-committee", "廊坊市人民代表大会常务委员会", "市人大常委会法工委", DELIBERATIVE,
       ("市人大常委会法工委", "廊坊市人大常委会法工委", "市人大"),
       notes="法工委 is the standing committee's legislative affairs commission; both kept as one body"),
    _o("lf-cppcc", "中国人民政治协商会议廊坊市委员会", "市政协", DELIBERATIVE, ("市政协", "市政协办公室")),
    _o("lf-intermediate-court", "廊坊市中级人民法院", "市中级人民法院", COURT, ("市中级人民法院", "市法院")),
    _o("lf-procuratorate", "廊坊市人民检察院", "市人民检察院", COURT, ("市人民检察院",)),
    # --- people's organisations -----------------------------------------------------------------
    _o("lf-trade-union", "廊坊市总工会", "市总工会", PEOPLE, ("市总工会",), bare=("总工会",)),
    _o("lf-youth-league", "共青团廊坊市委员会", "团市委", PEOPLE, ("团市委",)),
    _o("lf-women-federation", "廊坊市妇女联合会", "市妇联", PEOPLE, ("市妇联",)),
    _o("lf-disabled-federation", "廊坊市残疾人联合会", "市残联", PEOPLE, ("市残联",)),
    _o("lf-science-association", "廊坊市科学技术协会", "市科协", PEOPLE, ("市科协",)),
    _o("lf-social-sciences-federation", "廊坊市社会科学界联合会", "市社科联", PEOPLE, ("市社科联",)),
    _o("lf-industry-commerce-federation", "廊坊市工商业联合会", "市工商联", PEOPLE, ("市工商联",)),
    _o("lf-red-cross", "廊坊市红十字会", "市红十字会", PEOPLE, ("市红十字会",)),
    _o("lf-supply-marketing-coop", "廊坊市供销合作社", "市供销社", PEOPLE, ("市供销社",)),
    _o("lf-family-planning-association", "廊坊市计划生育协会", "市计生协", PEOPLE, ("市计生协", "廊坊市计划生育协会")),
    _o("lf-consumer-association", "廊坊市消费者协会", "市消费者协会", PEOPLE, ("市消费者协会",)),
    _o("lf-insurance-association", "廊坊市保险行业协会", "市保险协会", PEOPLE, ("市保险协会", "廊坊市保险行业协会")),
    # --- central / provincial vertical bodies in Langfang --------------------------------------
    _o("lf-pboc", "中国人民银行廊坊市中心支行", "人行廊坊市中心支行", VERTICAL,
       ("人行廊坊市中心支行", "市人行", "人行廊坊中心支行", "市人民银行", "人民银行廊坊市中心支行",
        "中国人民银行廊坊中心支行")),
    _o("lf-cbrc", "中国银行业监督管理委员会廊坊监管分局", "廊坊银监分局", VERTICAL,
       ("廊坊银监分局", "市银监分局", "中国银监会廊坊监管分局", "市银监局")),
    _o("lf-national-tax", "廊坊市国家税务局", "市国税局", VERTICAL, ("市国税局",)),
    _o("lf-local-tax", "廊坊市地方税务局", "市地税局", VERTICAL, ("市地税局",)),
    _o("lf-customs", "廊坊海关", "廊坊海关", VERTICAL, ("廊坊海关",)),
    _o("lf-inspection-quarantine", "廊坊出入境检验检疫局", "廊坊出入境检验检疫局", VERTICAL,
       ("廊坊出入境检验检疫局", "市出入境检验检疫局")),
    _o("lf-nbs-survey-team", "国家统计局廊坊调查队", "国家统计局廊坊调查队", VERTICAL, ("国家统计局廊坊调查队",)),
    _o("lf-safe", "国家外汇管理局廊坊中心支局", "国家外汇管理局廊坊中心支局", VERTICAL, ("国家外汇管理局廊坊中心支局",)),
    _o("lf-meteorology", "廊坊市气象局", "市气象局", VERTICAL, ("市气象局",)),
    _o("lf-postal-administration", "廊坊市邮政管理局", "市邮政管理局", VERTICAL, ("市邮政管理局",)),
    _o("lf-tobacco", "廊坊市烟草专卖局", "市烟草专卖局", VERTICAL, ("市烟草专卖局",)),
    _o("lf-radio-administration", "廊坊无线电管理局", "廊坊无线电管理局", VERTICAL, ("廊坊无线电管理局",)),
    _o("lf-adbc", "中国农业发展银行廊坊市分行", "农业发展银行", FINANCIAL, ("农业发展银行",),
       notes="printed only as 农业发展银行; the Langfang branch is meant"),
    # --- military -------------------------------------------------------------------------------
    _o("lf-military-subdistrict", "廊坊军分区", "廊坊军分区", MILITARY, ("廊坊军分区", "廊坊市军分区")),
    _o("lf-armed-police", "武警廊坊支队", "武警廊坊支队", MILITARY, ("武警廊坊支队",)),
    _o("pla-93792", "93792部队", "93792部队", MILITARY, ("93792部队",), level=NATIONAL),
    _o("pla-61906", "61906部队", "61906部队", MILITARY, ("61906部队",), level=NATIONAL),
    # --- enterprises, media, institutes ---------------------------------------------------------
    _o("lf-power-supply", "国网冀北电力有限公司廊坊供电公司", "廊坊供电公司", ENTERPRISE,
       ("廊坊供电公司", "市供电公司", "国网冀北电力有限公司廊坊供电公司")),
    _o("lf-china-mobile", "中国移动通信集团河北有限公司廊坊分公司", "中国移动通信集团河北有限公司廊坊分公司",
       ENTERPRISE, ("中国移动通信集团河北有限公司廊坊分公司",)),
    _o("lf-china-unicom", "中国联合网络通信有限公司廊坊市分公司", "中国联合网络通信有限公司廊坊市分公司",
       ENTERPRISE, ("中国联合网络通信有限公司廊坊市分公司",)),
    _o("lf-china-post", "中国邮政集团公司廊坊市分公司", "中国邮政集团公司廊坊市分公司", ENTERPRISE,
       ("中国邮政集团公司廊坊市分公司",)),
    _o("lf-ems", "廊坊邮政速递物流股份有限公司", "廊坊邮政速递物流股份有限公司", ENTERPRISE,
       ("廊坊邮政速递物流股份有限公司",), notes="printed 廊坊邮政速递物流股份有限公司廊坊市分⏎公司 (8161–8163)"),
    _o("lf-railway-freight", "北京铁路局廊坊货运站", "北京铁路局廊坊货运站", ENTERPRISE, ("北京铁路局廊坊货运站",)),
    _o("cnpc-pipeline-bureau", "中国石油天然气管道局", "中石油管道局", ENTERPRISE, ("中石油管道局", "管道局卫生处"),
       level=NATIONAL),
    _o("lf-daily", "廊坊日报社", "廊坊日报社", OTHER, ("廊坊日报社",)),
    _o("lf-radio-tv", "廊坊市广播电视台", "市广播电视台", OTHER, ("市广播电视台", "廊坊市广播电视台")),
    _o("lf-academy-agri-forestry", "廊坊市农林科学院", "市农科院", OTHER, ("市农科院",)),
)

# Region governments: (org_id, region_code, full name, commonest printed form, written forms).
REGION_GOVERNMENTS: tuple[OrgSpec, ...] = tuple(
    _o(org_id, name, short, REGION_GOV, forms, level=COUNTY, region_code=code)
    for org_id, code, name, short, forms in (
        ("gov-anci", "131002", "安次区人民政府", "安次区政府", ("安次区人民政府", "安次区政府")),
        ("gov-guangyang", "131003", "广阳区人民政府", "广阳区政府", ("广阳区人民政府", "广阳区政府")),
        ("gov-gu-an", "131022", "固安县人民政府", "固安县政府", ("固安县人民政府", "固安县政府")),
        ("gov-yongqing", "131023", "永清县人民政府", "永清县政府", ("永清县人民政府", "永清县政府")),
        ("gov-xianghe", "131024", "香河县人民政府", "香河县政府", ("香河县人民政府", "香河县政府")),
        ("gov-dacheng", "131025", "大城县人民政府", "大城县政府", ("大城县政府",)),
        ("gov-wen-an", "131026", "文安县人民政府", "文安县政府", ("文安县政府",)),
        ("gov-dachang", "131028", "大厂回族自治县人民政府", "大厂县政府",
         ("大厂县政府",)),
        ("gov-bazhou", "131081", "霸州市人民政府", "霸州市政府", ("霸州市政府",)),
        ("gov-sanhe", "131082", "三河市人民政府", "三河市政府", ("三河市政府",)),
        ("gov-langfang-edz", "131071", "廊坊经济技术开发区管理委员会", "廊坊开发区管委会",
         ("廊坊开发区管委会",)),
    )
)

# Functional names (source-catalog §6.3 and the text): "××部门" → the municipal body that holds the function.
FUNCTIONAL_NAMES: dict[str, str] = {
    "发展改革部门": "lf-development-reform",
    "工业和信息化部门": "lf-industry-it",
    "工信部门": "lf-industry-it",
    "商务部门": "lf-commerce",
    "工商行政管理部门": "lf-industry-commerce",
    "工商部门": "lf-industry-commerce",
    "地方金融监管部门": "lf-financial-affairs",
    "安监部门": "lf-work-safety",
    "卫生计生部门": "lf-health-family-planning",
    "卫生计生行政部门": "lf-health-family-planning",
    "价格主管部门": "lf-prices",
    "价格部门": "lf-prices",
    "城乡规划主管部门": "lf-urban-planning",
    "国土资源主管部门": "lf-land-resources",
    "建设主管部门": "lf-construction",
    "建设部门": "lf-construction",
    "人民防空主管部门": "lf-civil-air-defence",
    "住房保障主管部门": "lf-housing",
    "文物主管部门": "lf-culture-media",
    "环境保护主管部门": "lf-environment",
    "环保部门": "lf-environment",
    "统计部门": "lf-statistics",
    "机构编制部门": "lf-establishment-office",
    "人力资源社会保障部门": "lf-human-resources",
    "人力资源和社会保障部门": "lf-human-resources",
    "新闻出版广电部门": "lf-culture-media",
    "科学技术行政部门": "lf-science-technology",
    "体育行政部门": "lf-sports",
    "财政部门": "lf-finance",
    "民政部门": "lf-civil-affairs",
    "审计部门": "lf-audit",
    "水务部门": "lf-water",
    "林业部门": "lf-forestry",
    "市政府法制部门": "lf-legal-affairs",
    "市政府地方金融监管部门": "lf-financial-affairs",
    "宣传部门": "lf-cpc-publicity",
    "房屋征收部门": "lf-house-expropriation-office",
    "城市供水行政主管部门": "lf-water",   # 5675: the city's water-supply authority is the 水务局
    # Deliberative bodies that lead tasks in prose, mapped to the body their office sits in (tasks QA):
    # 6329 领导小组办公室（设在廊坊市质量技术监督局）, 9051 市质监局要充分发挥…领导小组办公室的职能作用.
    "市质量与名牌战略领导小组": "lf-quality-supervision",
    # 6907 廊坊市爱国卫生运动委员会下设办公室 (the 爱卫办, which has its own row): the committee acts through it.
    "市爱国卫生运动委员会": "lf-patriotic-health-office",
}

# Generic phrases: a printed "name" that designates no single body (source-catalog §4 parsing notes).
GENERIC_NAMES: frozenset[str] = frozenset({
    "有关部门", "相关部门", "各有关部门", "各相关部门", "各部门", "其他有关部门", "有关单位", "各有关单位", "相关单位",
    "市政府各部门", "市政府有关部门", "市政府相关部门", "市政府部门", "市有关部门", "市直有关部门", "市直相关部门",
    "市直各部门", "市直各有关部门", "各级各部门", "各地各部门", "各地各有关部门", "各行业主管部门",
    "市政府其他有关职能部门", "其他登记管理部门", "各县级人民政府", "各级政府", "各县市区",
    "市政府相关部门", "市政府各有关部门", "市级相关部门", "市级各部门", "市直部门", "市直有关单位",
    "行业归口部门", "对应部门",
    "市质评委成员单位", "市质量与名牌战略领导小组成员单位", "市农民工工作联席会议其他成员单位",
    "市农民工工作联席会议各成员单位", "任务涉及的各应用示范单位", "相关应用单位",
    # 3340: the 22 kinds of supervising departments of 3328, not one body (tasks QA).
    "安全生产行业（领域）监管部门",
    # 5927: 各县（市、区）…领导小组…设在党委农工部 — each county's party rural-work department, not the city's.
    "党委农工部",
})
