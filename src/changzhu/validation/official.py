"""Official figures the system's figures are checked against, each with its document, table, year and link.

`verified` is True only where the figure was read in a copy of the document during development (the link
says where); False means it is quoted from the named document but no copy could be read here: confirm it
before quoting.
"""

from __future__ import annotations

from dataclasses import dataclass

from changzhu.data.census import PROVINCES_INTERPROV_TOTAL_2020, PROVINCES_RENHU_FENLI_TOTAL_2020

CENSUS_NO7 = "第七次全国人口普查公报（第七号）——城乡人口和流动人口情况（国家统计局，2021-05-11）"
CENSUS_NO7_URL = "http://www.haikuotiankong.com/forum.php?mod=viewthread&tid=3379"
HEALTH_2019 = "2019年我国卫生健康事业发展统计公报（国家卫生健康委）"
HEALTH_2019_URL = "http://www.one-tool.net/yaowen/20200608/060816751.html"
# What a link is where it is not the publisher's own page (zh, en): the report prints it beside the link
LINK_NOTES = {
    CENSUS_NO7_URL: ("转载，原文见国家统计局网站 stats.gov.cn", "a copy; the official text is at stats.gov.cn"),
    HEALTH_2019_URL: ("《人民日报》对该公报的报道", "a People's Daily report of the bulletin"),
}
CIVIL_2020 = "2020年民政事业发展统计公报（民政部），社会救助部分"
EDU_2020 = "2020年全国教育事业发展统计公报（教育部），义务教育部分"
EDU_2020_URL = "https://www.moe.gov.cn/jyb_sjzl/sjzl_fztjgb/202108/t20210827_555004.html"  # the Ministry's own page
NHSA_2020 = "2020年全国医疗保障事业发展统计公报（国家医保局），异地就医部分"
SEED_004 = "黄燕芬《以常住地为基准配置基本公共服务》（中宏网，2026-01-18）"


@dataclass(frozen=True)
class Official:
    """One official figure: value in `unit`, where it is published, and whether it was read here."""

    value: float
    unit: str
    document: str
    table: str
    year: int
    url: str
    verified: bool

    @property
    def link_note(self) -> tuple[str, str]:
        """What the link is (zh, en) where it is not the publisher's own page; empty strings where it is."""
        return LINK_NOTES.get(self.url, ("", ""))


RENHU_FENLI = Official(
    PROVINCES_RENHU_FENLI_TOTAL_2020, "persons", CENSUS_NO7, "二、流动人口", 2020, CENSUS_NO7_URL, True
)
SHIXIAQU_RENHU = Official(
    116_945_747, "persons", CENSUS_NO7, "二、流动人口（市辖区内人户分离）", 2020, CENSUS_NO7_URL, True
)
LIUDONG = Official(375_816_759, "persons", CENSUS_NO7, "二、流动人口", 2020, CENSUS_NO7_URL, True)
KUASHENG = Official(
    PROVINCES_INTERPROV_TOTAL_2020, "persons", CENSUS_NO7, "二、流动人口（跨省流动人口）", 2020, CENSUS_NO7_URL, True
)
URBAN_RATE = Official(63.89, "%", CENSUS_NO7, "一、城乡人口", 2020, CENSUS_NO7_URL, True)
HUKOU_URBAN_RATE = Official(45.4, "%", CENSUS_NO7, "一、城乡人口，注[4]（公安部）", 2020, CENSUS_NO7_URL, True)
NATIONAL_POPULATION = Official(1_411_778_724, "persons", CENSUS_NO7, "全国人口（含现役军人 200 万）", 2020, "", True)
SEED_GAP = Official(250_000_000, "persons", SEED_004, "“约2.5亿”人户分离群体（约数）", 2026, "", True)
BEDS_PER_1000 = Official(6.30, "beds per 1,000", HEALTH_2019, "每千人口医疗卫生机构床位数", 2019, HEALTH_2019_URL, True)
DIBAO_URBAN = Official(8_051_000, "persons", CIVIL_2020, "城市低保对象 805.1万人", 2020, "", False)
DIBAO_RURAL = Official(36_208_000, "persons", CIVIL_2020, "农村低保对象 3620.8万人", 2020, "", False)
DIBAO_TOTAL = Official(
    8_051_000 + 36_208_000, "persons", CIVIL_2020, "城市 805.1万 + 农村 3620.8万 低保对象", 2020, "", False
)
SUIQIAN = Official(
    14_297_300, "persons", EDU_2020, "义务教育阶段进城务工人员随迁子女 1429.73万人", 2020, EDU_2020_URL, False
)
SETTLEMENT = Official(3_002_300, "cases", NHSA_2020, "住院费用跨省直接结算 300.23万人次", 2020, "", False)
