"""Reform scenarios: the one override mechanism of changzhu.parameters, importable from its old place."""

from changzhu.parameters.scenario import Override, Scenario, load_scenario

__all__ = ["Override", "Scenario", "load_scenario"]
