"""Audit reasons in Chinese and English: every writer names its reason from REASONS, with the reason's arguments.

The log keeps the Chinese text as the record's reason and the English in details["reason_en"] (both hashed with the
record), so the audit viewer shows either language. A reason a person typed (an appeal, a reversal, a note) is kept
as typed, and a record written before reasons had two languages holds one text: both are shown as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

EN_KEY = "reason_en"  # where the English reason is kept in a record's details


@dataclass(frozen=True)
class Reason:
    """A reason in Chinese and English."""

    zh: str
    en: str


REASONS: dict[str, tuple[str, str]] = {
    # reads of personal data (the purpose of the read)
    "view_record": ("查看登记信息", "view record"),
    "view_overview": ("查看居民页面", "view overview"),
    "view_entitlements": ("查看权益", "view entitlements"),
    "view_account": ("查看个人账户", "view account"),
    "view_transfers": ("查看转移接续", "view transfers"),
    "transfers_to_release": ("待转出的转移接续", "transfers awaiting release"),
    "held_for_approval": ("待复核事项", "items awaiting approval"),
    "interregion_outbox": ("跨省转出消息列表", "cross-province hand-overs"),
    "view_vouchers": ("查看服务券", "view vouchers"),
    "medical_filing_read": ("异地就医备案", "medical filing"),
    "transfer_out_read": ("跨省通办转出", "inter-region transfer out"),
    "self_service": ("本人查看", "self-service overview"),
    "own_statement": ("本人账户对账单", "account statement"),
    "caseload_listing": ("辖区居民列表", "caseload listing"),
    "resident_search": ("居民查询", "resident search"),
    "read_application": ("查看申请", "read application"),
    "quota_entries": ("查看排名名单", "quota run entries"),
    "eligibility_request": ("资格测算", "eligibility request"),
    "view_household": ("查看家庭关系", "view household"),
    "household_member": ("家庭成员", "household member"),
    # accounts, uploads, applications, quota runs
    "account_administration": ("账户管理", "account administration"),
    "own_password": ("本人修改密码", "own password"),
    "resident_login": ("开通居民登录", "resident login"),
    "upload": ("上传文件", "upload"),
    "application_step": ("申请：{zh}", "application: {en}"),
    "application_moved_out": (
        "申请人已于 {on} 迁往{place_zh}（跨省通办），本地终止办理；请到现在的常住地申请",
        "closed: the applicant moved to {place_en} on {on} (cross-province hand-over); apply where they live now",
    ),
    # closed by staff who may not see where she lives now (she left the province from another place of it)
    "application_moved_out_elsewhere": (
        "申请人已迁往外省（跨省通办），本地终止办理；请到现在的常住地申请",
        "closed: the applicant moved to another province (cross-province hand-over); apply where they live now",
    ),
    "quota_ranking": ("{kind}排名（{year}年）", "{kind} ranking {year}"),
    # maker–checker
    "held_for_checker": ("双人复核：待第二人审批", "maker–checker: held for a second approver"),
    "checker_approved": ("双人复核：已批准", "maker–checker: approved"),
    "checker_rejected": ("双人复核：已驳回", "maker–checker: rejected"),
    "voucher_issue_checked": (
        "服务券发放（经办 {maker}，审批单 {approval}）",
        "voucher issued (maker {maker}, approval {approval})",
    ),
    "move_checked": (
        "常住地变更（经办 {maker}，审批单 {approval}）",
        "move recorded (maker {maker}, approval {approval})",
    ),
    # 跨省通办 messages
    "interregion_sent": ("跨省通办", "inter-region service message"),
    "interregion_received": ("跨省通办：收到消息", "inter-region service message received"),
    "interregion_refused": ("对方拒收消息：{error}", "the destination refused the message: {error}"),
    "peer_replaced": (
        "管理员有意替换：公钥指纹 {old} 改为 {new}，网址 {old_url} 改为 {new_url}",
        "replaced on purpose by an administrator: key fingerprint {old} now {new}, URL {old_url} now {new_url}",
    ),
    # registry and ledger operations
    "register": ("常住地登记", "residence registration"),
    "permit_issue": ("居住证申领", "residence permit issued"),
    "permit_renew": ("居住证签注", "residence permit renewed"),
    "move": ("常住地变更", "move of residence"),
    "household_link": ("家庭成员关联", "household link"),
    "settle": ("居住地落户", "hukou settled where one lives"),
    "facts_update": ("更新事实", "facts updated"),
    "import_residents": ("批量导入常住人口", "residents imported in bulk"),
    "import_contributions": ("批量导入缴费记录", "contributions imported in bulk"),
    "contributions": ("缴费记录", "contributions recorded"),
    "school_record": ("学籍记录", "school record"),
    "voucher_issue": ("服务券发放", "voucher issued"),
    "voucher_redeem": ("服务券兑付", "voucher redeemed"),
    "voucher_clear": ("服务券跨地区清算", "vouchers cleared between regions"),
    "transfer_apply": ("转移接续申请", "transfer applied for"),
    "transfer_complete": ("转出地转出、转入地接收", "transfer sent and received"),
    "pension_drawing": ("待遇领取地确定", "pension drawing place decided"),
    "medical_policy": ("参保地政策", "insuring region's policy"),
    "medical_catalogue": ("就医地目录", "treating region's catalogue"),
    "medical_file": ("异地就医备案", "medical treatment elsewhere filed"),
    "medical_settle": ("跨省直接结算", "cross-province direct settlement"),
    "medical_clear": ("基金清算", "fund clearing"),
    "digest_baseline": (
        "账目摘要基线：此后的改动可被发现，此前的改动无法证明",
        "digest baseline: tamper-evident from now on; earlier changes cannot be proven",
    ),
}


def because(code: str, **args: object) -> Reason:
    """The reason `code` of REASONS with its arguments filled in, in both languages."""
    zh, en = REASONS[code]
    return Reason(zh.format(**args), en.format(**args))


def shown(stored: str, details: Mapping[str, object]) -> Reason:
    """A record's reason in both languages: the stored Chinese and the English beside it, or the one text it holds."""
    english = details.get(EN_KEY)
    return Reason(stored, english if isinstance(english, str) else stored)
