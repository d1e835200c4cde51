"""Population bases (口径): one vocabulary for every figure in planning, fiscal, simulation and the report.

Definitions (docs/architecture.md, "Population bases"):
- resident (常住人口): everyone living in the region; the census figure.
- local-hukou resident (本地户籍常住人口): residents whose hukou is in the region = resident − in-migrants with
  hukou outside it. The shipped census counts in-migrants from other provinces only, so the figure is exact at
  province level and an upper bound below it. Who the hukou-bound system serves on the spot.
- registered (户籍人口): everyone whose hukou is in the region, wherever they live = local-hukou resident +
  out-migrants. They come from the gravity model of migrant origins (changzhu.geography), fitted to the census's
  out-migrants of the provinces whose figure ships (河南, 安徽; 四川 only a lower bound), so the figure is an
  ESTIMATE and is labelled so.
- separated (人户分离): residents not living where their hukou is registered; migrants (流动人口) are the separated
  minus moves within a city's districts (市辖区内人户分离).
"""

from enum import StrEnum


class PopulationBasis(StrEnum):
    """Which population a figure is counted on."""

    RESIDENT = "resident"  # 常住人口
    LOCAL_HUKOU_RESIDENT = "local_hukou_resident"  # 本地户籍常住人口
    REGISTERED = "registered"  # 户籍人口 (estimated: local-hukou residents + gravity-model out-migrants)


BASIS_LABELS_ZH: dict[PopulationBasis, str] = {
    PopulationBasis.RESIDENT: "常住人口",
    PopulationBasis.LOCAL_HUKOU_RESIDENT: "本地户籍常住人口",
    PopulationBasis.REGISTERED: "户籍人口",
}
BASIS_LABELS_EN: dict[PopulationBasis, str] = {
    PopulationBasis.RESIDENT: "residents",
    PopulationBasis.LOCAL_HUKOU_RESIDENT: "local-hukou residents",
    PopulationBasis.REGISTERED: "registered population (hukou)",
}
ESTIMATED_BASES = frozenset({PopulationBasis.REGISTERED})
LOCAL_HUKOU_NOTE = (
    "local-hukou residents = residents − inter-provincial in-migrants (2020 census); exact for provinces, "
    "an upper bound for prefectures and counties (moves within a province are not counted)"
)
REGISTERED_NOTE = (
    "estimate: registered population = local-hukou residents + out-migrants from the gravity model of migrant "
    "origins, fitted to the 2020 census's out-migrants where known (census_out_migrants_2020.csv)"
)

# Column names of a bases table (changzhu.geography.population_bases), one per figure.
RESIDENT = "resident"
IN_MIGRANTS = "interprov_in_migrants"
LOCAL_HUKOU_RESIDENT = "local_hukou_resident"
OUT_MIGRANTS_EST = "out_migrants_est"
REGISTERED_EST = "registered_est"


class PopulationSort(StrEnum):
    """Orders for the population table."""

    CODE = "code"
    RESIDENT = "resident"
    RENHU_FENLI = "renhu_fenli"
    RENHU_FENLI_SHARE = "renhu_fenli_share"
    INTERPROV = "interprov"
    INTERPROV_SHARE = "interprov_share"
