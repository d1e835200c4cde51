"""The HTML report: sections written by each command into out/sections/, assembled into out/report.html."""
