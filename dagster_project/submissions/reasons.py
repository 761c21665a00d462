"""The reason catalogue: every code a quarantine record or a rejected file may carry, its Chinese label,
and the Chinese sentence a clerk reads for each row-level problem.

Reason codes are English snake_case; :data:`REASON_CODES` lists them all with a Chinese label
(:data:`FILE_CODES` are the file-level ones). :data:`MESSAGES` holds the sentence templates, keyed by
*message code*: a reason code, or a per-kind variant of one (``future_period``, ``non_numeric_index``).
"""
from __future__ import annotations

REASON_CODES: dict[str, str] = {
    # file level: the whole file is rejected
    "unreadable_file": "文件无法读取",
    "wrong_file_type": "文件类型不对",
    "unknown_encoding": "文字编码无法识别",
    "file_too_large": "文件过大",
    "empty_file": "文件没有数据",
    "missing_columns": "缺少必填列",
    "duplicate_column": "列重复",
    "encrypted_file": "文件设置了密码（已加密）",
    "unpacked_too_large": "Excel 文件解压后过大",
    "too_many_rows": "行数超过上限",
    "too_many_columns": "列数超过上限",
    "too_many_cells": "单元格数超过上限",
    "line_too_long": "CSV 一行过长",
    "unbalanced_quote": "CSV 引号未闭合",
    "unexpected_error": "读取或校验时出错",
    # row level: the row is quarantined
    "cell_too_long": "单元格文字超过上限",
    "missing_value": "必填项为空",
    "unknown_task": "任务编号不存在",
    "unknown_indicator": "指标编号不存在",
    "unknown_organization": "填报单位不在名录中",
    "ambiguous_organization": "填报单位名称有歧义",
    "organization_not_assigned": "填报单位不是该任务的责任单位",
    "invalid_status": "状态无法识别",
    "invalid_percent": "完成进度不是数字",
    "percent_out_of_range": "完成进度超出 0–100",
    "invalid_date": "日期无法识别",
    "future_date": "日期晚于今天",
    "invalid_period": "统计期无法识别",
    "non_numeric_value": "数值不是数字",
    "formula_not_allowed": "单元格是公式",
    "unit_mismatch": "单位不一致",
    "unknown_region": "地区无法识别",
    "duplicate_row": "与前面的行重复",
    "conflicting_rows": "同一任务（指标）同日多行且内容矛盾",
    "unknown_station": "监测站不在名录中",
    "invalid_quarter": "季度无法识别",
    "quarter_not_ended": "季度尚未结束",
    "index_out_of_range": "综合指数超出合理范围",
    "too_many_decimals": "综合指数小数位过多",
}
FILE_CODES = ("unreadable_file", "wrong_file_type", "unknown_encoding", "file_too_large", "empty_file",
              "missing_columns", "duplicate_column", "encrypted_file", "unpacked_too_large", "too_many_rows",
              "too_many_columns", "too_many_cells", "line_too_long", "unbalanced_quote", "unexpected_error")

MESSAGES: dict[str, str] = {
    "cell_too_long": "单元格有 {length} 个字符，超过上限 {limit} 个字符（Excel 一个单元格的上限），请删减后重新报送。",
    "missing_value": "此项必须填写，不能为空。",
    "unknown_task": "任务编号 {value} 不存在，请核对模板中的任务编号。",
    "unknown_indicator": "指标编号 {value} 不存在，请核对模板中的指标编号。",
    "unknown_organization": "填报单位“{value}”不在机构名录中，请填写单位全称或规范简称。",
    "ambiguous_organization": "填报单位“{value}”可能指不止一个单位，请填写单位全称。",
    "organization_not_assigned": "“{value}”不是任务 {task_id} 的牵头或配合单位，请核对任务编号或填报单位。",
    "invalid_status": "状态“{value}”无法识别，只能填写：未启动、推进中、已完成、已延期、受阻。",
    "invalid_percent": "完成进度“{value}”不是数字，请填写 0 到 100 之间的数（如 85 或 85%）。",
    "percent_out_of_range": "完成进度 {value} 超出范围，应在 0 到 100 之间。",
    "invalid_date": "日期“{value}”无法识别，请按 2015-09-30 的格式填写。",
    "future_date": "日期 {value} 晚于今天（{today}），请核对。",
    "future_period": "统计期 {value} 尚未开始（今天是 {today}），请核对。",
    "invalid_period": "统计期“{value}”无法识别，请写成 2015-09-30、2015-09、2015Q3 或 2015 这几种格式之一。",
    "non_numeric_value": "数值“{value}”不是数字，请只填写数字，不要带单位或文字。",
    "formula_not_allowed": "单元格是公式“{value}”，系统不计算公式，请直接填写结果。",
    "unit_mismatch": "单位“{value}”与指标 {indicator_id} 的单位“{expected}”不一致，请换算成“{expected}”后填写。",
    "unknown_region": "地区“{value}”无法识别，请填写县（市、区）名称、地区代码或“全市”。",
    "duplicate_row": "本行与第{other}行完全相同，只接收了第{other}行。",
    "conflicting_rows": "本行与第{other}行的{key}相同但内容不同，无法判断以哪一行为准，请只保留一行后重新报送。",
    "unknown_station": "监测站“{value}”不在监测站名录中，请填写监测站名称（如 药材公司、北华航天学院、三河市省控站）或编号。",
    "invalid_quarter": "季度“{value}”无法识别，请按 2016Q1 的格式填写（年份加 Q 加季度 1–4）。",
    "quarter_not_ended": "季度 {value} 尚未结束（今天是 {today}），季度平均综合指数要在季度结束后填报。",
    "non_numeric_index": "综合指数“{value}”不是数字，请只填写数字（如 8.52），不要带单位或文字。",
    "index_out_of_range": "综合指数 {value} 超出合理范围，应大于 0 且小于 1000，请核对。",
    "too_many_decimals": "综合指数 {value} 的小数超过 4 位，请四舍五入到至多 4 位小数后填写。",
}
