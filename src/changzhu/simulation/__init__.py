"""Microsimulation (微观模拟): a synthetic population fitted to the 2020 census, reform scenarios, two engines.

plan = load_spec([Path("scenarios/sim_school_residence_1y.yaml")], load_rules_scenario).plan(sample=0.01)
result = simulate(plan, rules_evaluator(), LocalEngine())          # or DaskEngine(Client(...))
result.by_province  # eligible, newly eligible, demand, cost and change from baseline, per province
"""

from changzhu.simulation.engine import Chunk, DaskEngine, LocalEngine, SimulationPlan, plan_chunks, run_chunk
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.evaluators import RulesEvaluator, load_rules_scenario, rules_evaluator
from changzhu.simulation.run import SimulationResult, simulate, store_population
from changzhu.simulation.spec import SimulationSpec, load_spec
from changzhu.simulation.synthetic import PopulationModel, generate_cities, population_model

__all__ = [
    "Chunk",
    "DaskEngine",
    "LocalEngine",
    "PopulationModel",
    "RulesEvaluator",
    "SimulationError",
    "SimulationPlan",
    "SimulationResult",
    "SimulationSpec",
    "generate_cities",
    "load_rules_scenario",
    "load_spec",
    "plan_chunks",
    "population_model",
    "rules_evaluator",
    "run_chunk",
    "simulate",
    "store_population",
]
