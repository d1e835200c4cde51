"""Policy as code (政策即代码): dated parameters, service rules, points schemes (积分) and mutual recognition (互认).

Public API: evaluate, explain, person_inputs, load_scenario, Scenario, run_policy_tests (see docs/policies.md).
"""

from changzhu.rules.catalog import person_inputs
from changzhu.rules.errors import PersonNotFound, PolicyError, ScenarioError
from changzhu.rules.evaluate import evaluate
from changzhu.rules.explain import Explanation, explain
from changzhu.rules.inputs import InputSpec
from changzhu.rules.policy_tests import PolicyTestResult, run_policy_tests
from changzhu.rules.scenario import Override, Scenario, load_scenario

__all__ = [
    "Explanation",
    "InputSpec",
    "Override",
    "PersonNotFound",
    "PolicyError",
    "PolicyTestResult",
    "Scenario",
    "ScenarioError",
    "evaluate",
    "explain",
    "load_scenario",
    "person_inputs",
    "run_policy_tests",
]
