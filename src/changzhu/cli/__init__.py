"""The `changzhu` command line (Typer + rich)."""
