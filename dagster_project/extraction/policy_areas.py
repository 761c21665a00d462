"""One policy area per document, from a short curated list reviewed by hand.

No parser can tell reliably whether 〔2015〕24号 (促进科技金融深度融合) is about finance or about
innovation; a person reading the title and the opening paragraph can, and can write down why. So
the mapping is reviewed knowledge: ``DOCUMENT_POLICY_AREAS`` has one entry per document, keyed by
the stable ``doc_id`` (see ``documents.document_id``), with the title in a comment and, where the
choice was not obvious, the reason. The extractor only checks the table against the documents it
found and fails loudly on a document without an entry, an entry for an unknown document, or an
area outside ``POLICY_AREAS``.
"""
from __future__ import annotations

from .context import ExtractionContext
from .seed_files import SeedTable

POLICY_AREA_COLUMNS = ("doc_id", "policy_area")

# The curated list: area → one-line definition (zh / en). The first twelve are the agreed core
# list; the last four were added because some documents fit none of them.
POLICY_AREAS: dict[str, str] = {
    "法治政府": "依法行政、规范性文件审查、政府法律顾问 / rule-of-law government: lawful administration, legal review, legal advisers",
    "医疗卫生": "医药卫生体制、医疗服务、公共卫生、中医药 / health care, public health and medical reform",
    "科技创新": "科技计划、科技服务、创新创业、知识产权、科技奖励 / science, technology, innovation and intellectual property",
    "金融": "金融监管、资本市场、保险、债券与信贷融资 / finance: financial supervision, listings, insurance, bond and credit financing",
    "生态环境": "污染治理、节约用水、空气与水环境、土地矿产资源整治 / ecology, environment and natural resources",
    "农业农村": "粮食安全、农林生产、水利、动物防疫、农村产权、农业普查 / agriculture, forestry, water conservancy and rural affairs",
    "社会保障": "就业安置、社会救助与福利、残疾人、慈善、医疗保险 / social security, welfare, employment placement and social insurance",
    "营商环境": "审批与中介服务改革、投资管理、信用体系 / business environment: approval reform, intermediaries, investment management, credit system",
    "城市建设": "城市规划建设、轨道交通、地下空间、房屋征收、城镇化 / urban construction, transport infrastructure and urbanisation",
    "机构编制": "部门主要职责、内设机构和人员编制（三定） / institutional set-up: functions, internal bodies and staffing of departments",
    "质量标准": "质量兴市、名牌战略、标准化、质量奖 / quality, brands and standardisation",
    "文化体育": "文化、体育事业与体育产业 / culture and sports",
    "商贸流通": "内贸流通、消费、服务贸易、服务外包、电子商务合作 / commerce: domestic trade, consumption, trade in services, outsourcing",
    "安全生产": "安全生产监管、寄递安全、防灾减灾 / work safety, postal security and disaster prevention",
    "产业发展": "产业培育与投资拉动增长 / industrial development and investment-led growth",
    "政务管理": "财政管理、审计监督、政府工作安排、表彰、议事机构调整 / government administration: public finance, audit, work plans, commendations, coordinating bodies",
}

DOCUMENT_POLICY_AREAS: dict[str, str] = {
    # --- 廊政〔2015〕 (市政府) ---
    "lz-2015-054": "社会保障",   # 贯彻落实河北省军人随军家属就业安置实施办法 — employment placement of military families
    "lz-2015-059": "法治政府",   # 深入推进依法行政加快建设法治政府的实施意见
    "lz-2015-063": "社会保障",   # 促进慈善事业健康发展的实施意见
    "lz-2015-065": "科技创新",   # 印发加快科技服务业发展的实施意见
    "lz-2015-066": "科技创新",   # 印发加快发展众创空间推进大众创新创业六条措施
    "lz-2015-071": "金融",       # 建立健全地方金融监督管理体制的实施意见
    "lz-2015-072": "金融",       # 加快推进企业上市工作的实施意见
    "lz-2015-073": "农业农村",   # 落实粮食安全省长责任制的实施意见
    "lz-2015-074": "安全生产",   # 印发气象现代化建设实施方案 — opening (1056) puts 防灾减灾 first among its aims
    "lz-2015-075": "社会保障",   # 印发加快推进残疾人小康进程实施方案
    "lz-2015-081": "科技创新",   # 印发科学技术奖励办法
    "lz-2015-082": "科技创新",   # 深化市级财政科技计划（专项、基金等）管理改革的意见
    "lz-2015-085": "社会保障",   # 进一步做好为农民工服务工作的实施意见
    "lz-2015-086": "政务管理",   # 改革和完善市对下转移支付制度的意见 — public finance (budget transfers)
    "lz-2015-091": "医疗卫生",   # 加强新时期爱国卫生工作的实施意见
    "lz-2015-097": "政务管理",   # 印发市级财政投资评审管理办法 — public finance
    "lz-2015-098": "社会保障",   # 促进红十字事业发展的意见 — humanitarian relief, 民生 (opening 1989)
    "lz-2015-112": "城市建设",   # 印发地下空间开发利用管理暂行办法
    "lz-2015-114": "产业发展",   # 印发创新重点领域投融资机制鼓励社会投资的实施意见 — opening (2243): investment to stabilise growth
    "lz-2015-115": "科技创新",   # 加强知识产权保护和运用工作的实施意见
    "lz-2015-116": "产业发展",   # 促进旅游业改革发展的实施意见 — the tourism industry (2444: 旅游产业发展)
    "lz-2015-117": "商贸流通",   # 加快发展服务贸易的实施意见
    "lz-2015-118": "商贸流通",   # 促进全市服务外包产业发展的实施意见 — outsourcing is trade in services (在岸/离岸业务), led by 市商务局
    "lz-2015-120": "安全生产",   # 印发进一步加强安全生产综合监管工作实施意见
    "lz-2015-121": "城市建设",   # 印发深化户籍制度改革的实施意见 — opening (3411): 加快城镇化建设进程
    "lz-2015-122": "营商环境",   # 清理规范市政府部门行政许可中介服务事项的决定
    "lz-2015-124": "城市建设",   # 印发国有土地上房屋征收与补偿办法
    "lz-2015-125": "科技创新",   # 推动科技创新平台和大中型仪器设备面向社会开放服务的实施意见
    # --- 〔2015〕N号, issued by 市政府 ---
    "bare-gov-2015-017": "法治政府",  # 聘任第三届政府法制咨询委员会委员的决定
    "bare-gov-2015-018": "质量标准",  # 授予京东方等三家单位和高铁中同志廊坊市政府质量奖的决定
    "bare-gov-2015-021": "政务管理",  # 对全市民族团结进步模范集体和模范个人进行表扬的通报 — a commendation
    "bare-gov-2015-022": "农业农村",  # 开展第三次全国农业普查的通知
    "bare-gov-2015-024": "金融",      # 促进科技金融深度融合的实施意见 — its measures are credit, guarantees, listing (4427: 科技信贷专营机构)
    "bare-gov-2015-029": "文化体育",  # 印发加快发展体育产业促进体育消费的实施意见
    "bare-gov-2015-031": "产业发展",  # 印发促进云计算创新发展培育信息产业新业态实施意见 — cultivating an industry (4579)
    "bare-gov-2015-032": "法治政府",  # 印发完善规范性文件合法性审查机制试点工作实施方案
    # --- 廊政办〔2015〕 (市政府办公室) ---
    "lzb-2015-040": "政务管理",  # 印发政府向社会力量购买服务审计监督办法（试行） — audit of public spending (5064)
    "lzb-2015-041": "营商环境",  # 清理规范市政府部门行政审批中介服务的通知
    "lzb-2015-044": "产业发展",  # 印发加大投资力度稳定经济增长的意见 — investment-led growth (5208)
    "lzb-2015-045": "商贸流通",  # 促进内贸流通健康发展的实施意见
    "lzb-2015-046": "农业农村",  # 加快木本油料产业发展的实施意见 — planting oil trees (5335)
    "lzb-2015-048": "医疗卫生",  # 加强传染病防治人员安全防护的实施意见
    "lzb-2015-049": "营商环境",  # 创新投资管理方式建立协同监管机制的实施方案
    "lzb-2015-050": "政务管理",  # 印发市政府2015年第四季度工作要点
    "lzb-2015-052": "生态环境",  # 印发工业用水差别水价和超额累进加价的实施意见 — water saving (5653: 节约用水、节水型社会)
    "lzb-2015-055": "生态环境",  # 印发推行环境污染第三方治理实施意见
    "lzb-2015-058": "医疗卫生",  # 印发全面深化县级公立医院综合改革实施方案
    "lzb-2015-060": "农业农村",  # 引导农村产权流转交易市场健康发展的实施意见
    "lzb-2015-063": "医疗卫生",  # 印发进一步加强乡村医生队伍建设实施方案
    "lzb-2015-065": "政务管理",  # 印发推进财政资金统筹使用的落实意见 — public finance
    "lzb-2015-067": "医疗卫生",  # 印发中医药健康服务发展规划（2015—2020年）
    "lzb-2015-068": "质量标准",  # 印发质量兴市和名牌战略工作考核办法
    "lzb-2015-069": "营商环境",  # 公布市政府部门行政许可中介服务收费目录清单
    "lzb-2015-070": "商贸流通",  # 促消费保增长的实施意见
    # --- 〔2015〕N号, issued by 市政府办公室 ---
    "bare-office-2015-091": "法治政府",  # 印发政府法制咨询委员会工作规则
    "bare-office-2015-095": "金融",      # 推进保险业更好服务经济社会发展的通知
    "bare-office-2015-096": "安全生产",  # 成立邮件、快件安全管理工作领导小组
    "bare-office-2015-101": "农业农村",  # 成立重点水利项目协调领导小组 — water conservancy (农林水)
    "bare-office-2015-107": "医疗卫生",  # 调整爱国卫生运动委员会组成人员
    "bare-office-2015-115": "城市建设",  # 成立轨道交通工作领导小组
    "bare-office-2015-125": "社会保障",  # 转发城镇居民大病保险实施细则（试行） — social medical insurance
    "bare-office-2015-126": "生态环境",  # 印发环境空气质量奖惩办法（试行）
    "bare-office-2015-128": "农业农村",  # 进一步加强全市动物防疫工作 — livestock epidemics (7170: 养殖业生产安全)
    "bare-office-2015-135": "商贸流通",  # 印发创建河北省服务外包示范城市的工作方案 — led by 市商务局 (7224)
    "bare-office-2015-141": "金融",      # 建立企业上市工作联席会议制度
    "bare-office-2015-144": "生态环境",  # 调整环境空气质量奖惩办法部分内容
    "bare-office-2015-146": "商贸流通",  # 成立推进我市与京东集团全面合作工作协调领导小组 — e-commerce bases (7408), office at 市商务局
    "bare-office-2015-149": "社会保障",  # 转发城镇职工大病保险实施细则（试行）
    "bare-office-2015-151": "政务管理",  # 调整市深化医药卫生体制改革领导小组等13个领导小组组成人员 — 13 bodies from health to sport; the act is reorganising them
    "bare-office-2015-155": "质量标准",  # 成立标准化委员会
    "bare-office-2015-156": "金融",      # 成立推进债券融资工作领导小组
    "bare-office-2015-158": "机构编制",  # 印发卫生和计划生育委员会主要职责内设机构和人员编制规定
    "bare-office-2015-159": "机构编制",  # 印发质量技术监督局主要职责内设机构和人员编制规定
    "bare-office-2015-160": "机构编制",  # 印发工商行政管理局主要职责内设机构和人员编制规定
    "bare-office-2015-163": "生态环境",  # 成立水污染防治专家咨询委员会
    "bare-office-2015-164": "生态环境",  # 成立土地管理和矿产资源领域专项整治行动领导小组 — land and mineral resources
    "bare-office-2015-165": "政务管理",  # 贯彻落实市政府常务会议精神有关事项 — follow-up of executive meetings (8943)
    "bare-office-2015-168": "质量标准",  # 印发贯彻实施质量发展纲要深入推进质量兴市行动计划
    "bare-office-2015-175": "文化体育",  # 转发进一步加强运动员文化教育和运动员保障工作实施意见
    "bare-office-2015-177": "营商环境",  # 印发行政许可和行政处罚等信用信息公示工作实施方案 — credit-information disclosure (双公示)
    "bare-office-2015-181": "医疗卫生",  # 印发建立分级诊疗制度实施方案
    "bare-office-2015-188": "营商环境",  # 切实做好法人和其他组织统一社会信用代码制度建设工作 — unified credit codes
}


def document_policy_areas(ctx: ExtractionContext) -> list[dict[str, str]]:
    """One row per document in source order; raises if the table and the documents disagree."""
    doc_ids = [d.doc_id for d in ctx.documents]
    missing = [d for d in doc_ids if d not in DOCUMENT_POLICY_AREAS]
    unknown = sorted(set(DOCUMENT_POLICY_AREAS) - set(doc_ids))
    bad_areas = sorted({a for a in DOCUMENT_POLICY_AREAS.values() if a not in POLICY_AREAS})
    if missing or unknown or bad_areas:
        raise ValueError(
            "DOCUMENT_POLICY_AREAS is out of step with the source: "
            f"documents without an entry {missing}, entries for unknown documents {unknown}, "
            f"areas outside POLICY_AREAS {bad_areas}"
        )
    return [{"doc_id": d, "policy_area": DOCUMENT_POLICY_AREAS[d]} for d in doc_ids]


def extract_tables(ctx: ExtractionContext) -> list[SeedTable]:
    return [SeedTable("document_policy_areas", POLICY_AREA_COLUMNS, document_policy_areas(ctx))]
