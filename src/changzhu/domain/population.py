"""Population bases (口径): every figure says whether it counts residents or registered people."""

from enum import StrEnum


class PopulationBasis(StrEnum):
    """Which population a figure is counted on."""

    RESIDENT = "resident"  # 常住人口: everyone living in the region (the census figure)
    LOCAL_HUKOU_RESIDENT = "local_hukou_resident"  # residents whose hukou is in the region
    REGISTERED = "registered"  # 户籍人口: everyone whose hukou is in the region, wherever they live


BASIS_LABELS_ZH: dict[PopulationBasis, str] = {
    PopulationBasis.RESIDENT: "常住人口",
    PopulationBasis.LOCAL_HUKOU_RESIDENT: "本地户籍常住人口",
    PopulationBasis.REGISTERED: "户籍人口",
}
