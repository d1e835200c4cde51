"""Dated, sourced parameters: one model, one tree, one scenario override mechanism for every part of changzhu.

Public API: DatedValue, Parameter, ParameterTree, parameter_tree, load_tree, Scenario, Override,
load_scenario, ParameterError, ScenarioError (see docs/parameters.md).
"""

from changzhu.parameters.errors import ParameterError, ScenarioError
from changzhu.parameters.model import DatedValue, Parameter, cited, parse_parameter, parse_source
from changzhu.parameters.scenario import Override, Scenario, load_scenario
from changzhu.parameters.tree import ParameterTree, load_tree, parameter_tree

__all__ = [
    "DatedValue",
    "Override",
    "Parameter",
    "ParameterError",
    "ParameterTree",
    "Scenario",
    "ScenarioError",
    "cited",
    "load_scenario",
    "load_tree",
    "parameter_tree",
    "parse_parameter",
    "parse_source",
]
