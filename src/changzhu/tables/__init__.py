"""Reading users' own tables (CSV in UTF-8 or GBK, Excel, Parquet, JSON, YAML) and writing templates and exports."""

from changzhu.tables.kinds import KINDS, ServiceInfo, schema_of
from changzhu.tables.read import CellError, TableRead, TableRejected, read_table
from changzhu.tables.schema import Category, Column, ColumnType, TableSchema

__all__ = [
    "KINDS",
    "Category",
    "CellError",
    "Column",
    "ColumnType",
    "ServiceInfo",
    "TableRead",
    "TableRejected",
    "TableSchema",
    "read_table",
    "schema_of",
]
