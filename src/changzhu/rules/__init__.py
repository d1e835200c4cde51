"""Policy as code (政策即代码): dated parameters, service rules, points schemes (积分) and mutual recognition (互认).

Public API: evaluate, explain, load_scenario, Scenario, run_policy_tests (see docs/policies.md).
"""

from changzhu.rules.errors import PersonNotFound, PolicyError, ScenarioError
from changzhu.rules.evaluate import evaluate
from changzhu.rules.explain import Explanation, explain
from changzhu.rules.policy_tests import PolicyTestResult, run_policy_tests
from changzhu.rules.scenario import Override, Scenario, load_scenario

__all__ = [
    "Explanation",
    "Override",
    "PersonNotFound",
    "PolicyError",
    "PolicyTestResult",
    "Scenario",
    "ScenarioError",
    "evaluate",
    "explain",
    "load_scenario",
    "run_policy_tests",
]
