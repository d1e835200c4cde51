"""`--help` in Chinese for every command.

Typer writes a command's help from its docstring and its options' `help=` in English. When the help's language is
Chinese (main.command_lang: the command's `--lang zh`, else CHANGZHU_LANG=zh, else a zh locale), main.LazyGroup hands
click a copy of the command whose texts are looked up here (HELP_ZH: the English, its words on one line -> the
Chinese), whose usage line reads 用法 and whose panels are 参数, 选项, 命令 (PANELS_ZH). A text not in the table would
stay English: tests/foundation/test_cli_help_zh.py holds the table whole for every command, argument and option of
main.COMMANDS. Imported only for a Chinese help, so `changzhu --help` does not load it.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
from collections.abc import Iterator
from typing import Any

from typer import _click as click

from changzhu.casework.applications import ACTION_LABELS, KIND_LABELS, STATUS_LABELS, Action
from changzhu.cli.lang import LANG_HELP, LANG_HELP_ZH
from changzhu.cli.usage_errors import ARGUMENTS_ZH, USAGE_PIECES_ZH
from changzhu.domain import field_sizes as sizes

# a command of `changzhu --help` -> its one line in Chinese (main.COMMANDS holds the English)
COMMANDS_ZH: dict[str, str] = {
    "demo": "在内置数据库上完整运行主流程，并写出 out/report.html。",
    "db": "创建、迁移和载入登记数据库。",
    "regions": "列出各地区及其层级、上级、城市规模等级和所属城市群。",
    "population": "常住人口、人户分离和跨省流入人口及其占比。",
    "plan": "按常住人口规划：写出规划表和报告的规划部分。",
    "fiscal": "人地钱挂钩：转移支付、线性规划分配、成本分担、横向补偿和清算。",
    "simulate": "微观模拟改革：按省份列出符合条件、新增符合条件、需求和成本，与基线比较。",
    "evaluate": "在某一日期为一整张人员表判定每项服务和积分；给出人数，也可写出文件。",
    "explain": "逐项条件说明一个人在常住地能享受哪些服务、从何时起。",
    "validate": "把 2020 年基线的每个主要数字与官方数字核对；有超出范围的则退出码为 1。",
    "check": "载入每个政策文件（检查引用）并运行政策测试；有不通过的则退出码为 1。",
    "resident": "常住人口：常住地登记、居住证、迁移、家庭关系、落户。",
    "ledger": "终身福利账户：缴费、转移、余额、核对。",
    "voucher": "服务券：发放、兑付、地区间结算。",
    "import": "从 CSV、Excel、Parquet、JSON 或 YAML 批量导入，每个文件全部导入或全不导入。",
    "audit": "哈希链审计日志。",
    "applications": "申请：提交（附预审）、列出、查看、办理一步。",
    "quota": "积分排名：发布一次排名，或只模拟不保存。",
    "schema": "某类表的每一列（类型、单位、类别、中英文列名、示例）。",
    "serve": "启动接口（/api/v1，OpenAPI 在 /api/v1/openapi.json）和办事大厅（/office/）。",
    "user": "创建和管理本服务的账户。",
    "peer": "跨省通办：本实例的签名密钥和所信任的其他实例。",
}

TOP_ZH = {
    "help": "常住 changzhu：在常住地而非户籍地提供基本公共服务。",
    "policies": "使用此政策目录而不是内置的（与 CHANGZHU_POLICY_DIR 相同）",
}

# typer.rich_utils' words around the help, in Chinese
PANELS_ZH: dict[str, str] = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
}
USAGE_ZH = "用法："
# the kind of value an option takes as help shows it (cli.typer_params), in Chinese
VALUES_ZH = {
    "<text>": "<文字>",
    "<text …>": "<文字 …>",
    "<integer>": "<整数>",
    "<number>": "<数值>",
    "<path>": "<路径>",
    "<path …>": "<路径 …>",
}
# the words of a code the command takes, as the office and the command's own output name it (one table each), then
# the code to type: "受理审核 review、批准 approve"
STEPS = (Action.REVIEW, Action.APPROVE, Action.REJECT, Action.APPEAL, Action.UPHOLD, Action.OVERTURN)
KINDS_ZH = "、".join(f"{zh} {kind.value}" for kind, (zh, _) in KIND_LABELS.items())
STATUSES_ZH = "、".join(f"{zh} {status.value}" for status, (zh, _) in STATUS_LABELS.items())
STEPS_ZH = "、".join(f"{ACTION_LABELS[action][0]} {action.value}" for action in STEPS)
HELP_OPTION_ZH = "显示此帮助并退出。"

# a help in English (its words on one line) -> its Chinese
HELP_ZH: dict[str, str] = {
    # groups
    "Residents: register (常住地登记), permits (居住证), moves, households, settlement.": COMMANDS_ZH["resident"],
    "Applications (申请): submit with a pre-check, list, show, take a step.": COMMANDS_ZH["applications"],
    "The portable account (终身福利账户): contributions, transfers, balances, checks.": COMMANDS_ZH["ledger"],
    "Service vouchers (服务券): issue, redeem, clear between regions.": COMMANDS_ZH["voucher"],
    "Bulk import from CSV, Excel, Parquet, JSON or YAML, all or nothing per file.": COMMANDS_ZH["import"],
    # resident
    "Register a person's habitual residence with its proof, and facts the rules need (`changzhu schema resident`);"
    " staff of the place of residence.": "登记一个人的常住地及其证明材料，以及规则所需的情况"
    "（见 `changzhu schema resident`）；由常住地的工作人员办理。",
    "The record of an identity number (looked up by keyed hash), with its person key: as `resident show`; a number"
    " registered outside the user's reach is answered as one not registered (the read is audited).": "按身份证号"
    "（以带密钥的哈希查找）查看记录及其人员编号，显示同 `resident show`；在您权限之外登记的号码按未登记答复（查看记入审"
    "计日志）。",
    "Registry facts of a person (never the identity number), in words in --lang; staff of the place where she lives"
    " (or moves to), as the API (the read is audited). On screen places by name and code and a fact not on record as"
    " unknown; as CSV, JSON or a file, the codes (a fact not on record empty, or null).": "一个人的登记情况"
    "（从不显示身份证号），按 --lang 的语言以文字显示；由其常住地（或迁入地）的工作人员查看，"
    "与接口相同（查看记入审计日志）。"
    "屏幕上地区显示名称和代码，未登记的情况显示为未知；CSV、JSON 或文件中为代码（未登记的为空或 null）。",
    "Issue a residence permit (居住证) where the person lives (staff of that place).": "在常住地签发居住证"
    "（由该地工作人员办理）。",
    "Renew (签注) a residence permit for another year (staff of the issuing place, where the holder lives).": "为居住证"
    "签注一年（由签发地、即持证人常住地的工作人员办理）。",
    "Record a move of habitual residence, by staff of the new place; if the person lives outside the user's"
    " jurisdiction (give --id-number, as the person shows it) the move is held until staff of the old place (or the"
    " person) confirm it.": "登记常住地迁移，由迁入地工作人员办理；如此人住在您的辖区之外（请按本人出示的证件填写"
    " --id-number），迁移待原居住地工作人员（或本人）确认后生效。",
    "Link a parent and a child (staff of the place where each lives).": "登记父母与子女关系（由双方各自常住地的工作人员"
    "办理）。",
    "Settle the hukou at the place of residence (落户), by staff of that place.": "在常住地落户，由该地工作人员办理。",
    # applications
    "Submit an application: the rules engine pre-checks it (eligible, not eligible, or the facts missing); staff of"
    " the place where the applicant lives.": "提交申请：规则引擎先行预审（符合、不符合或缺少的情况）；由申请人常住地的"
    "工作人员办理。",
    "List applications (newest last): a resident's own, or for staff those of their jurisdiction, as the API (the"
    " listing is audited).": "列出申请（最新的在最后）：居民看自己的，工作人员看本辖区的，"
    "与接口相同（列出记入审计日志）。",
    "One application with its events: its applicant (or her guardian), or staff of its region, as the API (the read"
    " is audited).": "查看一项申请及其办理经过：申请人（或其监护人）或申请所在地的工作人员可看，"
    "与接口相同（查看记入审计日志）。",
    "Take one step of the state machine (an illegal step is refused, naming the steps allowed); staff of the"
    " application's region.": "办理申请的一步（不允许的一步会被拒绝，并列出可办理的步骤）；由申请所在地的工作人员办理。"
    "",
    # ledger
    "Record contribution (or waiting) months at a region (staff of that region).": "记录在某地的缴费（或轮候）月数"
    "（由该地工作人员办理）。",
    "Add a completed school year to a child's record (学籍), by staff of the school's region.": "在儿童的学籍中记入"
    "一个已完成的学年，由学校所在地的工作人员办理。",
    "Transfer a part of the account from one region to another: the application as staff of the new place (where the"
    " person lives), the release as staff of the old place; one user does both only if both are in their"
    " jurisdiction, else each place runs the command and the second run completes it.": "把账户的一部分从一地转到"
    "另一地：由新地（常住地）工作人员申请转入，由原地工作人员办理转出；只有两地都在同一用户辖区内时才由一人完成两步，"
    "否则两地各运行一次此命令，第二次运行即办结。",
    "Decide where the pension is drawn (10-year rule) and consolidate everything there (staff where the person"
    " lives).": "确定养老金领取地（满 10 年规则）并把各项归集到该地（由常住地工作人员办理）。",
    "Balances derived from the entries: of one person (staff who may see her, as the API), or of every account the"
    " user may read (people they may see, funds of their jurisdiction); the read is audited. On screen columns by"
    " their labels in --lang and places by name and code; as CSV, JSON or a file, the codes.": "由记账分录得出的"
    "余额：一个人的（可查看此人的工作人员，与接口相同），或用户可查看的全部账户（可查看的人员、本辖区的资金）；查看记入"
    "审计日志。屏幕上列名、账户类别、单位按 --lang 的语言显示，地区显示名称和代码；CSV、JSON 或文件中为代码。",
    "Check that entries balance, agree with the records and with the audit log (and, with --peers, conserve across"
    " instances: sent = received + in flight + reversed).": "核对分录是否平衡、是否与记录和审计日志一致（加 --peers"
    " 时还核对各实例之间是否守恒：转出 = 已接收 + 传送中 + 已退回）。",
    "Vouch in the audit log for ledger entries written before entry digests existed (once, after upgrading a"
    " database from before them; administrators). Newer entries without a digest are never vouched for.": "在审计日志"
    "中为分录摘要启用之前写入的分录补记摘要（从更早版本升级数据库后执行一次；管理员）。之后写入而无摘要的分录从不补记。",
    "Run the worked example (Chengdu → Shenzhen → Suzhou) on a scratch SQLite database and print it.": "在临时 SQLite"
    " 数据库上运行示例（成都 → 深圳 → 苏州）并显示。",
    # voucher
    "Issue a voucher to a registered person (staff of the issuer): above the per-item limit or the budget it is"
    " refused; above the approval threshold it is held until another user approves it.": "向已登记的人发放服务券"
    "（由发放地工作人员办理）：超过单项限额或预算的予以拒绝；超过复核额度的待另一位用户批准后生效。",
    "Redeem a voucher at a provider where the holder lives (once; staff of the providing region).": "在持有人常住地的"
    "服务机构兑付服务券（只能一次；由服务机构所在地的工作人员办理）。",
    "Clear redeemed vouchers between the issuing and the providing region (fiscal officers of the issuer).": "在发放地"
    "与服务机构所在地之间结算已兑付的服务券（由发放地的财政人员办理）。",
    "Vouchers and their status: of one holder (staff who may see her, as the API), or every voucher of people the"
    " user may see; the read is audited. On screen columns by their labels in --lang and places by name and code; as"
    " CSV, JSON or a file, the codes.": "服务券及其状态：一位持有人的（可查看此人的工作人员，与接口相同），"
    "或用户可查看的"
    "所有人员的服务券；查看记入审计日志。屏幕上列名、状态按 --lang 的语言显示，地区显示名称和代码；CSV、"
    "JSON 或文件中为代码。",
    # import
    "Import residents (columns: `changzhu schema resident`): CSV (UTF-8 or GBK), Excel, Parquet, JSON, YAML; every"
    " row's residence in the user's jurisdiction (caseworkers, administrators).": "导入常住人口（各列见"
    " `changzhu schema resident`）：CSV（UTF-8 或 GBK）、Excel、Parquet、JSON、YAML；每一行的常住地须在用户辖区内"
    "（经办人员、管理员）。",
    "Import contribution histories (columns: `changzhu schema contribution`), in any format residents take; every"
    " row's region in the user's jurisdiction (caseworkers, administrators).": "导入缴费记录（各列见"
    " `changzhu schema contribution`），格式同常住人口；每一行的地区须在用户辖区内（经办人员、管理员）。",
    # options
    "hukou place (户籍地), prefecture code": "户籍地，地级行政区代码",
    "place of habitual residence (常住地), prefecture code": "常住地，地级行政区代码",
    "residence since (YYYY-MM-DD)": "居住起始日期（YYYY-MM-DD）",
    "housing, employment or study": "住房 housing、就业 employment 或就学 study",
    "reference of the proof (contract, certificate)": "证明材料的编号（合同、证书）",
    "the user (of the users table) this command acts as: their role and jurisdictions are checked": "以此用户"
    "（用户表中的用户名）的身份执行，并核对其角色和辖区",
    "national ID (never stored in clear); asked for, not echoed, when left out": "身份证号（从不明文保存）；未填写时"
    "会提示输入，输入时不显示",
    "a fact the rules need, name=value (e.g. education=bachelor, 就业=是); repeat": "规则所需的一项情况，写作 名称=值"
    "（如 education=bachelor、就业=是）；可重复",
    "name 姓名 (stored encrypted, found by keyed hash)": "姓名（加密保存，以带密钥的哈希查找）",
    "mobile number 手机号 (stored encrypted, found by keyed hash)": "手机号（加密保存，以带密钥的哈希查找）",
    "idempotency key: repeating a call with it is a no-op": "幂等键：以同一个键重复提交不会再次写入",
    LANG_HELP: LANG_HELP_ZH,
    "national ID; asked for, not echoed, when left out (or one line of stdin)": "身份证号；未填写时会提示输入，输入时"
    "不显示（或从标准输入读一行）",
    "table, csv, json; xlsx or parquet with --out": "table（表格）、csv、json；配合 --out 可用 xlsx 或 parquet",
    "write the table to this file (.csv with BOM, .xlsx, .parquet or .json)": "把表写入此文件（带 BOM 的 .csv、"
    ".xlsx、.parquet 或 .json）",
    "person key (`changzhu resident find` prints it)": "人员编号（`changzhu resident find` 可查到）",
    "date (YYYY-MM-DD)": "日期（YYYY-MM-DD）",
    "new place of residence": "新的常住地",
    "the identity number the person shows, for a move from outside your reach": "本人出示的身份证号，用于从您的权限"
    "之外迁入",
    "the applicant's person key": "申请人的人员编号",
    "residence_permit, points, public_rental, school_place, dibao, hukou": KINDS_ZH,
    "table (words, in --lang) or json (the API's codes)": "table（按 --lang 的语言以文字显示）或 json（接口的代码）",
    "review, approve, reject, appeal, uphold, overturn": STEPS_ZH,
    "the reason given for the step (default: drafted from the explanation)": "办理理由（默认：根据判定说明起草）",
    "pension, medical, unemployment or housing_wait": "养老保险 pension、医疗保险 medical、失业保险 unemployment 或"
    "公租房轮候 housing_wait",
    "first month paid (YYYYMM)": "起始缴费年月（YYYYMM）",
    "last month paid (YYYYMM)": "截止缴费年月（YYYYMM）",
    "monthly contribution base, yuan; required but for housing_wait (waiting months carry none)": "月缴费基数，元；"
    "除公租房轮候 housing_wait 外必填（轮候月份没有缴费基数）",
    f"transfer number, {sizes.TRANSFER_NO_MIN} to {sizes.TRANSFER_NO} characters of A-Z, a-z, 0-9 and _ . : -;"
    " retrying with it finishes, never repeats (the keys of its two steps derive from it: not of a form the service"
    " keeps for its own keys)": f"转移编号，{sizes.TRANSFER_NO_MIN} 至 {sizes.TRANSFER_NO} 个字符，只用英文字母、数字和"
    " _ . : -；以同一编号重试会办结而不会重复（两步的幂等键由它得出：不能是本服务自用的键的格式）",
    "also reconcile 跨省通办 hand-overs with every registered peer instance": "同时与每个已登记的其他实例核对跨省通办的"
    "交接",
    "the voucher's value, yuan": "服务券面值，元",
    "valid until (YYYY-MM-DD)": "有效期至（YYYY-MM-DD）",
    "Excel sheet to read (default: the first)": "要读取的 Excel 工作表（默认：第一个）",
    "use the good rows of a file with bad rows (says how many were left)": "文件中有错误行时导入其余正确的行"
    "（并说明略过了多少行）",
    "write the row-level error report to this CSV file": "把逐行的错误报告写入此 CSV 文件",
    "residence permit number (`resident permit` prints it)": "居住证编号（`resident permit` 办理后显示）",
    "the parent's person key": "父亲或母亲的人员编号",
    "the child's person key": "子女的人员编号",
    "region code of the place the months were paid (or waited) at": "缴费（或轮候）所在地的地区代码",
    "the school year, by the calendar year it began (e.g. 2025)": "学年，按其开始的年份（如 2025）",
    "grade, 1 to 12": "年级，1 至 12",
    "the school's name": "学校名称",
    "region code of the school's place": "学校所在地的地区代码",
    "pension, medical, unemployment, housing_wait or school": "养老保险 pension、医疗保险 medical、失业保险"
    " unemployment、公租房轮候 housing_wait 或学籍 school",
    "region code of the old place (transferred out of)": "原地（转出地）的地区代码",
    "region code of the new place (where the person lives)": "新地（转入地，即常住地）的地区代码",
    "person key (`changzhu resident find` prints it); left out: every account you may read": "人员编号"
    "（`changzhu resident find` 可查到）；不填则列出您可查看的全部账户",
    "the holder's person key": "持有人的人员编号",
    "region code of the issuing place (it pays)": "发放地（出资地）的地区代码",
    "the service it pays for, e.g. vocational_training, childcare, elderly_care, health_checkup": "服务券用于的服务，"
    "如职业技能培训 vocational_training、托育服务 childcare、养老服务 elderly_care、健康体检 health_checkup",
    "voucher number (`voucher list` shows it)": "服务券编号（`voucher list` 可查到）",
    "the provider (service institution or hospital) redeeming it": "兑付此券的服务机构（或医院）",
    "region code of the provider's place": "服务机构所在地的地区代码",
    "region code of the issuing place": "发放地的地区代码",
    "region code of the providing place": "服务机构所在地的地区代码",
    "the holder's person key; left out: every voucher of people you may see": "持有人的人员编号；不填则列出您可查看的"
    "所有人员的服务券",
    "the file to import": "要导入的文件",
    "a note kept with the application": "随申请保存的备注",
    "only this status: submitted, in_review, approved, rejected, appealed, upheld, overturned, closed": "只列出此状态的"
    f"申请：{STATUSES_ZH}",
    "only this kind: residence_permit, points, public_rental, school_place, dibao, hukou": "只列出此类申请："
    + KINDS_ZH,
    "only this region's (its code)": "只列出此地区的申请（地区代码）",
    "at most this many": "最多列出的件数",
    "the application's number (`applications list` shows it)": "申请编号（`applications list` 可查到）",
    # demo, db, regions, population
    "Run the main job end to end on the embedded database and write out/report.html.": COMMANDS_ZH["demo"],
    "directory for the report and tables": "报告和各表的输出目录",
    "Create, migrate and load the registry database.": COMMANDS_ZH["db"],
    "Apply the Alembic migrations (SQLite by default, CHANGZHU_DATABASE_URL for PostgreSQL).": "执行 Alembic 数据库迁移"
    "（默认 SQLite；PostgreSQL 用 CHANGZHU_DATABASE_URL）。",
    "target revision": "迁移到的目标版本",
    "Print the revision the database is at.": "显示数据库当前所在的版本。",
    "Load the shipped regions and 2020 census figures (replaces earlier ones, all or nothing).": "载入内置的各地区"
    "和 2020 年人口普查数字（替换之前载入的，全部载入或全不载入）。",
    "List regions with their level, parent, city size class and agglomerations.": COMMANDS_ZH["regions"],
    "province, prefecture or county": "省级 province、地级 prefecture 或县级 county",
    "code of the parent region": "上级地区的代码",
    "rows to show in table format (0: all)": "以表格显示时的行数（0：全部）",
    "Resident population (常住), 人户分离 and inter-provincial in-migrants (跨省流入) with shares.": COMMANDS_ZH[
        "population"
    ],
    "order of rows": "行的排列顺序",
    # plan
    "Plan by resident population (按常住人口规划): write tables and the planning section of the report.": COMMANDS_ZH[
        "plan"
    ],
    "output directory (the tables in its planning/ folder)": "输出目录（各表在其中的 planning/ 目录）",
    "projection horizon in years (5 to 10 recommended)": "预测年数（建议 5 至 10 年）",
    "date the standards are taken in force on (YYYY-MM-DD)": "按哪一天有效的配置标准（YYYY-MM-DD）",
    "local standards: a table (`changzhu schema standard`) or a YAML parameter file (`local:`)": "地方配置标准：一张表"
    "（各列见 `changzhu schema standard`）或一个 YAML 参数文件（`local:`）",
    "scenario population in place of the census (`changzhu schema population`)": "代替人口普查的情景人口"
    "（各列见 `changzhu schema population`）",
    "reform scenario overriding standards, unit costs or projection assumptions": "改革情景文件，替换配置标准、单位成本"
    "或预测假设",
    "facility list: CSV, Excel, Parquet, JSON or YAML (`changzhu schema facility`)": "设施清单：CSV、Excel、Parquet、"
    "JSON 或 YAML（各列见 `changzhu schema facility`）",
    "site from the facility list an office uploaded for this region (its code, e.g. 440300; repeat for several), as"
    " the service stores it under CHANGZHU_HOME/uploads, at the scope it was uploaded at": "按办事大厅为此地区上传的"
    "设施清单选址（地区代码，如 440300；多个地区可重复），即本服务保存在 CHANGZHU_HOME/uploads 下的清单，"
    "按上传时的范围",
    "what the facility list is complete for: a county, a prefecture (default) or a province": "设施清单完整覆盖的范围："
    "县级 county、地级 prefecture（默认）或省级 province",
    "supply by province replacing the shipped 2019 figures (`changzhu schema supply`)": "替换内置 2019 年数字的分省供给"
    "（各列见 `changzhu schema supply`）",
    "province code for the where-to-build example (default: the facility list's province when the list lies in one,"
    " else 440000)": "选址示例的省级代码（默认：设施清单都在一个省内时为该省，否则为 440000）",
    "number of new hospitals to place": "要选址的新建医院数",
    "also read registry moves and write monthly flows and alerts": "同时读取登记的迁移，写出逐月流动和预警",
    "table, csv or json": "table（表格）、csv 或 json",
    "also write the printed tables to this file: .csv (BOM), .xlsx (a sheet each), .parquet or .json; several"
    " CSV/Parquet tables go to FILE_<table>.<ext>": "同时把所显示的表写入此文件：.csv（带 BOM）、"
    ".xlsx（每表一个工作表）、.parquet 或 .json；多张 CSV 或 Parquet 表分别写入 FILE_<表名>.<扩展名>",
    # fiscal
    "Money and land follow people (人地钱挂钩): transfers, LP allocation, cost sharing,"
    " compensation, clearing.": COMMANDS_ZH["fiscal"],
    "directory for the tables and the report": "各表和报告的输出目录",
    "fund to allocate, whole yuan (default: the scheme's)": "要分配的资金，整元（默认：方案所定的）",
    "date the scheme is in force, YYYY-MM-DD (default: latest)": "按哪一天有效的方案，YYYY-MM-DD（默认：最新的）",
    "scheme id in fiscal_parameters.yaml (overrides --on)": "fiscal_parameters.yaml 中的方案编号（优先于 --on）",
    "CSV, Excel or Parquet of voucher redemptions to clear: issuing_region, providing_region, amount_yuan (or their"
    " labels, 发券地区, 服务提供地区, 金额（元）); an error names the row as the file shows it": "要清算的服务券"
    "兑付记录，CSV、Excel 或 Parquet：issuing_region、providing_region、amount_yuan 三列"
    "（或其列名 发券地区、服务提供地区、金额（元））；出错时按文件中所见指明行",
    # simulate
    "Microsimulate reforms (微观模拟): eligible, newly eligible, demand and cost by"
    " province, vs baseline.": COMMANDS_ZH["simulate"],
    "reform scenario file (repeat for several)": "改革情景文件（多个可重复）",
    "sample fraction of the 1.41 billion residents": "在 14.1 亿常住人口中的抽样比例",
    "random seed (default: the file's, else 20201101)": "随机种子（默认：情景文件中的，否则为 20201101）",
    "years to evaluate, e.g. 2025,2026": "要判定的年份，如 2025,2026",
    "local (chunked) or dask": "local（本机分块）或 dask",
    "Dask scheduler address (default: a LocalCluster)": "Dask 调度器地址（默认：本机 LocalCluster）",
    "workers of the LocalCluster": "LocalCluster 的工作进程数",
    "persons per chunk (default: the engine's)": "每块的人数（默认：引擎所定的）",
    "read a stored population (partitioned Parquet)": "读取已保存的人口（分区 Parquet）",
    "first write the population as partitioned Parquet here": "先把人口以分区 Parquet 写入此处",
    # evaluate, explain, validate, check
    "Decide every service and points scheme for a whole table of people on a date;"
    " counts, optionally a file.": COMMANDS_ZH["evaluate"],
    "person table: .csv, .xlsx, .parquet, .json, .yaml, or a .parquet directory": "人员表：.csv、.xlsx、.parquet、"
    ".json、.yaml，或一个 .parquet 目录",
    "the residents of the registry instead of a file": "用登记库中的常住人口代替文件",
    "evaluation date YYYY-MM-DD (default today)": "判定日期 YYYY-MM-DD（默认今天）",
    "only these services": "只判定这些服务",
    "reform YAML (parameter overrides)": "改革情景 YAML（替换参数）",
    "also each service's earliest date, an estimate that assumes nothing changes (the slower interval engine)": (
        "同时求出每项服务最早可享受的日期（估算，假定情况不变；用较慢的区间引擎）"
    ),
    "count eligible people per residence region": "按常住地统计符合条件的人数",
    "write the per-person result: .parquet or .csv with the fields' names (for programs; with --earliest each earliest"
    " date is said to be an estimate, in the CSV's header, in the Parquet's metadata), or .xlsx for people (titles and"
    " words in --lang, and a sheet explaining each column)": "写出逐人的结果：.parquet 或 .csv 用字段名（供程序读取；"
    "加 --earliest 时注明可符合日期是估算：CSV 在列标题中，Parquet 在元数据中），.xlsx 供人阅读（标题和文字按 --lang"
    " 的语言，另有一个工作表说明每一列）",
    "Explain, condition by condition, which services a person gets where they live, and from when.": COMMANDS_ZH[
        "explain"
    ],
    "a shipped example, e.g. shanghai-migrant": "一个内置示例，如 shanghai-migrant",
    "person table: .csv, .xlsx, .parquet, .json, .yaml": "人员表：.csv、.xlsx、.parquet、.json、.yaml",
    "whom to explain (with --people)": "要说明的人（配合 --people）",
    "print the explanation as JSON (as the API does)": "以 JSON 显示说明（与接口相同）",
    "Check every headline figure of the 2020 baseline against the official one; exit 1 if any is out of range. Each"
    " figure is printed next to the official one with its source, the ratio and the tolerance.": COMMANDS_ZH["validate"]
    + "每个数字与官方数字并列显示，并注明来源、比值和允许误差。",
    "synthetic sample fraction for the simulated figures": "模拟数字所用合成样本的抽样比例",
    "random seed of the synthetic sample": "合成样本的随机种子",
    "also write the table (CSV) and the report section here": "同时把核对表（CSV）和报告的这一部分写到此处",
    "print the calibrated 低保 take-up rates (urban, rural) and stop": "显示校准后的低保领取率（城镇、农村）后停止",
    "Load every policy file (checking references) and run the policy tests; exit 1 if any fails.": COMMANDS_ZH["check"],
    "policy test files (default: all shipped)": "政策测试文件（默认：全部内置的）",
    "list every parameter instead": "改为列出每个参数",
    # audit
    "The hash-chained audit log.": COMMANDS_ZH["audit"],
    "Recompute the audit chain and check it against the signed checkpoints; exit 1 if any record was changed,"
    " removed or inserted. A clean log is checkpointed again.": "重新计算审计日志的哈希链并与签名的检查点核对；"
    "有记录被改动、删除或插入则退出码为 1。日志完整时再写一次检查点。",
    "Sign every chain's length and last hash into the checkpoint file (run it periodically, e.g. from cron).": "把每条"
    "链的长度和最后一个哈希签名写入检查点文件（应定期运行，如由 cron 运行）。",
    # quota
    "Quotas (积分排名): publish a ranking run, or simulate one without storing it.": COMMANDS_ZH["quota"],
    "Rank the city's granted applications and publish the cut-off, admitted and waiting lists (staff of the"
    " city).": "为本市已批准的申请排名，公布分数线、录取名单和候补名单（由本市工作人员办理）。",
    "points_hukou or school_place": "积分落户 points_hukou 或积分入学 school_place",
    "the city (prefecture code)": "城市（地级行政区代码）",
    "places (积分落户); default the city's declared quota": "名额（积分落户）；默认为本市公布的指标",
    "DISTRICT=PLACES (积分入学), repeatable": "区县代码=学位数（积分入学），可重复",
    "facility list (设施清单): primary-school places per district (积分入学)": "设施清单：各区县的小学学位（积分入学）",
    "sum the facility list's places per county or prefecture": "按县级 county 或地级 prefecture 合计设施清单的学位",
    "On a synthetic sample of the city: the cut-off a quota gives, or the children admitted with --capacity.": "在本市"
    "的合成样本上模拟：某一名额对应的分数线，或配合 --capacity 时录取的儿童。",
    "the year the ranking is for (e.g. 2026)": "排名所属的年度（如 2026）",
    "sample fraction of the city's residents (the counts shown are scaled up: estimates)": "在本市常住人口中的抽样比例"
    "（显示的人数按比例放大，是估计值）",
    # schema
    "Every column of a kind of table (type, unit, categories, Chinese and English labels, example).": COMMANDS_ZH[
        "schema"
    ],
    "person, resident, contribution, facility, supply, standard or population": "人员 person、常住人口 resident、"
    "缴费记录 contribution、设施 facility、供给 supply、配置标准 standard 或人口 population",
    "table, markdown, json or csv": "table（表格）、markdown、json 或 csv",
    "write an empty template (.csv or .xlsx) with one example row": "写出一个带一行示例的空模板（.csv 或 .xlsx）",
    "person, resident: the inputs this code's rules declare (default: all)": "人员 person、常住人口 resident："
    "此地区代码的规则所声明的输入（默认：全部）",
    # serve, user, peer
    "Start the API (/api/v1, OpenAPI at /api/v1/openapi.json) and the office (/office/).": COMMANDS_ZH["serve"],
    "address to listen on (loopback by default)": "监听的地址（默认只监听本机）",
    "TCP port": "TCP 端口",
    "apply database migrations first": "先执行数据库迁移",
    "uvicorn worker processes": "uvicorn 工作进程数",
    "make the rules of every city with residents ready while starting (one worker only)": "启动时预先准备每个有常住"
    "人口的城市的规则（只限一个工作进程）",
    "Create and manage accounts of the service.": COMMANDS_ZH["user"],
    "Create an account (the password is asked for twice, or read from stdin); by default the password is a one-time"
    " one, to be changed at the first login.": "创建账户（提示输入两次密码，或从标准输入读取）；默认为一次性密码，"
    "首次登录时须更改。",
    "user name (3-64 letters, digits, _ . @ -)": "用户名（3 至 64 个字符，只用字母、数字和 _ . @ -）",
    "resident, caseworker, planner, fiscal_officer or administrator": "居民 resident、经办人员 caseworker、规划人员"
    " planner、财政人员 fiscal_officer 或管理员 administrator",
    "region code the account acts in (repeatable; 000000 = national)": "账户的辖区代码（可重复；000000 为全国）",
    "for a resident: their person id in the registry": "居民账户：其在登记库中的人员 id",
    "read the password from the first line of stdin": "从标准输入的第一行读取密码",
    "keep this password (the operator's own account); without it the password is a one-time one, changed at the"
    " first login (POST /auth/password)": "保留此密码（操作员自己的账户）；不加则为一次性密码，首次登录时更改"
    "（POST /auth/password）",
    "List accounts with role and jurisdictions.": "列出各账户及其角色和辖区。",
    "the account's user name (`changzhu user list` shows it)": "账户的用户名（`changzhu user list` 可查到）",
    "Disable an account; its tokens stop working at the next request.": "停用账户；其令牌在下一次请求时即失效。",
    "跨省通办: this instance's signing key and the peer instances it trusts.": COMMANDS_ZH["peer"],
    "Print this instance's public key (give it to the peers' operators).": "显示本实例的公钥（交给其他实例的操作员）。",
    "Trust a peer instance: accept messages it signs, and send it transfers.": "信任另一个实例：接收其签名的消息，"
    "并向其发送转移。",
    "the peer's province code (its CHANGZHU_INSTANCE_REGION), e.g. 510000": "该实例的省级地区代码（即其"
    " CHANGZHU_INSTANCE_REGION），如 510000",
    "replace the key and URL of a province registered already (with --as ADMIN; audited); without it a different key"
    " or URL is refused": "替换已登记省份的公钥和网址（须加 --as 管理员用户名；记入审计日志）；不加则拒绝不同的公钥"
    "或网址",
    "with --replace: the administrator who replaces the peer (named in the audit log)": "配合 --replace：执行替换的"
    "管理员（记入审计日志）",
    "The peers this instance trusts (province, URL, key fingerprint), under this instance's own key fingerprint:"
    " compare it with the one each peer's operator sees for this instance (after a key file was restored too).": (
        "列出本实例所信任的其他实例（省份、网址、公钥指纹），并在上方显示本实例自己的公钥指纹："
        "请与各对方操作员所见的本实例指纹核对（恢复密钥文件之后也要核对）。"
    ),
    "the peer's base URL, e.g. https://gd.example.gov.cn": "该实例的基础网址，如 https://gd.example.gov.cn",
    "the peer's public key (64 hex digits, `changzhu peer key`)": "该实例的公钥（64 位十六进制数字，"
    "`changzhu peer key` 显示）",
}


def words(text: str | None) -> str | None:
    """A help's words on one line (the key of HELP_ZH)."""
    return " ".join(inspect.cleandoc(text).split()) if text else text


def chinese(text: str | None) -> str | None:
    """A help in Chinese, the English as it came where the table has none."""
    key = words(text)
    return HELP_ZH.get(key, text) if key else text


@contextlib.contextmanager
def panels() -> Iterator[None]:
    """typer.rich_utils' panel titles and option notes in Chinese while a help is drawn."""
    from typer import rich_utils

    drawn = ("_make_command_help", "_get_parameter_help")
    kept = {name: getattr(rich_utils, name) for name in (*PANELS_ZH, *drawn)}
    for name, text in PANELS_ZH.items():
        setattr(rich_utils, name, text)
    for name in drawn:
        setattr(rich_utils, name, _folding(kept[name]))
    try:
        yield
    finally:
        for name, value in kept.items():
            setattr(rich_utils, name, value)


def _folding(draw: Any) -> Any:
    """`draw` (a command's help line, an option's help) with its text folded where it meets the edge: Chinese has no
    spaces to wrap at, and rich cut such a text short with an ellipsis."""

    def folded(*args: Any, **kwargs: Any) -> Any:
        made = draw(*args, **kwargs)
        for text in [made, *getattr(made, "renderables", [])]:
            if hasattr(text, "overflow"):
                text.overflow = "fold"
        return made

    return folded


def translated(command: click.Command) -> click.Command:
    """A copy of `command` (and of its subcommands) whose help, options' helps, usage line and panels are in
    Chinese; the command itself is left as it is (it serves English helps in the same process)."""
    copied = copy.copy(command)
    copied.help = chinese(command.help)
    if copied.help != command.help and copied.help:
        copied.short_help = copied.help.split("\n\n")[0]
    copied.params = [_param(p) for p in command.params]
    subcommands = getattr(command, "commands", None)
    if isinstance(subcommands, dict):
        copied.commands = {name: translated(sub) for name, sub in subcommands.items()}  # type: ignore[attr-defined]
    original_help_option = command.get_help_option
    original_format_help = command.format_help

    def get_help_option(ctx: click.Context) -> Any:
        option = original_help_option(ctx)
        if option is None:
            return None
        option = copy.copy(option)
        option.help = HELP_OPTION_ZH
        return option

    def format_usage(ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, usage_pieces(copied.collect_usage_pieces(ctx)), prefix=USAGE_ZH)

    def format_help(ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with panels():
            original_format_help.__func__(copied, ctx, formatter)  # type: ignore[attr-defined]

    copied.get_help_option = get_help_option  # type: ignore[method-assign]
    copied.format_usage = format_usage  # type: ignore[method-assign]
    copied.format_help = format_help  # type: ignore[method-assign]
    return copied


def _param(param: Any) -> Any:
    """A copy of a parameter with its help in Chinese, the kind of value it takes in words (<文字>, <整数>) and an
    argument's Chinese name (ARGUMENTS_ZH)."""
    copied = copy.copy(param)
    if param.param_type_name == "argument" and param.metavar is None:
        copied.metavar = ARGUMENTS_ZH.get(param.name, param.metavar)
    help_text = getattr(param, "help", None)
    if help_text:
        copied.help = chinese(help_text)
    shown = getattr(param, "display_type", None)
    if shown is not None:

        def display_type(ctx: click.Context) -> str | None:
            said = shown(ctx)
            return VALUES_ZH.get(said, said) if isinstance(said, str) else said

        copied.display_type = display_type
    return copied


def usage_pieces(pieces: list[str]) -> str:
    """A usage line's pieces after the command (click's [OPTIONS] COMMAND [ARGS]...) in Chinese."""
    return " ".join(USAGE_PIECES_ZH.get(piece, piece) for piece in pieces)
