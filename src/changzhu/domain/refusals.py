"""Why a request, or a row (or a cell, or a header) of a user's file, is refused: one code and its parameters, in
both languages.

Every reader of a user's file (the table readers of changzhu.tables, the person table's checks across columns, the
registry import and the contribution records) makes a Refusal: a RefusalCode and the values that complete it (the
bad word, the limit, the suggested names, the line it repeats). The places that show it (the API's upload
responses, the CLI's error report, the errors carrying row, column and reason) render it with `text(lang)`. Both
languages' templates sit in one table, TEMPLATES, beside the codes: a new reason is a new code and its two
templates, never an English sentence read back by a pattern.

One code holds text that is not ours to translate: UNTRANSLATED, for an error a registry operation raises with a
message of its own (a library's or the database's, or a registry check that names no code: refusal_of), and for
the rows left out of an import stored before reasons were coded (its result replayed); its Chinese says the row
cannot be used and gives the English as it came.

The API's errors are refusals too (CodedError: ApiError, RegistryError and the casework's errors): their codes
and templates sit in the same table, and the API renders each in the request's language. A parameter a template
writes `{name:place}` is a region code, shown with the region's name in that language ("成都市 (510100)") where
the caller gives the names (`text(lang, places)`), else as the code. An error raised with a plain message is
UNCODED (its text as it came; a message written "中文 / English" is IN_TWO_LANGUAGES, each half in its language).
A parameter named `*_zh` or `*_en` is text already in that language (labels the project keeps in both, such as
an application kind's): the Chinese template takes the `_zh` one, the English the `_en` one.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from changzhu.domain.lang import Lang, with_code
from changzhu.errors import ChangzhuError

Param = str | tuple[str, ...]  # a value, or a list of values (joined "A or B" in English, "A、B" in Chinese)


class RefusalCode(StrEnum):
    """What is wrong, one code per idea (its templates: TEMPLATES)."""

    # a cell as read by its column's type (tables/vocab.py, tables/read.py)
    NOT_A_DATE = "not_a_date"
    NO_SUCH_MONTH = "no_such_month"
    NO_SUCH_DAY = "no_such_day"
    NOT_A_DATE_IN_LIST = "not_a_date_in_list"
    NOT_YES_OR_NO = "not_yes_or_no"
    NOT_A_WHOLE_NUMBER = "not_a_whole_number"
    NOT_A_NUMBER = "not_a_number"
    TOO_LARGE = "too_large"
    NOT_ONE_OF = "not_one_of"
    NOT_ONE_OF_NEAR = "not_one_of_near"
    NOT_AMONG = "not_among"
    UNKNOWN_REGION_CODE = "unknown_region_code"
    UNKNOWN_REGION_CODE_AT_LEVEL = "unknown_region_code_at_level"
    AMBIGUOUS_REGION_NAME = "ambiguous_region_name"
    NOT_A_REGION = "not_a_region"
    NOT_A_REGION_NEAR = "not_a_region_near"
    HOLDS_NUL = "holds_nul"
    HOLDS_CONTROL = "holds_control"
    TOO_LONG = "too_long"
    VALUE_MISSING = "value_missing"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    # the header row (tables/read.py)
    UNKNOWN_COLUMN = "unknown_column"
    UNKNOWN_COLUMN_NEAR = "unknown_column_near"
    SAME_COLUMN_AS = "same_column_as"
    COLUMN_MISSING = "column_missing"
    # a kind's checks across the columns of a row (tables/kinds.py)
    ON_ANOTHER_ROW = "on_another_row"
    NOT_YYYYMM = "not_yyyymm"
    BEFORE_PERIOD_FROM = "before_period_from"
    LON_LAT_APART = "lon_lat_apart"
    NO_STANDARD_VALUE = "no_standard_value"
    SAME_DAY_TWICE = "same_day_twice"
    ABOVE_POPULATION = "above_population"
    CHILDREN_BELOW_PARTS = "children_below_parts"
    # the person table's own checks (domain/person.py, rules/frame.py)
    MONTHS_NEGATIVE = "months_negative"
    COUNT_NEGATIVE = "count_negative"
    RATIO_NEGATIVE = "ratio_negative"
    INCOME_NEGATIVE = "income_negative"
    NEGATIVE = "negative"
    EXCEEDS_SI_TOTAL = "exceeds_si_total"
    PRIOR_MONTHS_WITHOUT_REGION = "prior_months_without_region"
    RESIDENCE_BEFORE_BIRTH = "residence_before_birth"
    OWN_PARENT = "own_parent"
    PARENT_CYCLE = "parent_cycle"
    NOT_FINITE = "not_finite"
    DUPLICATE_PERSON_ID = "duplicate_person_id"
    AFTER_EVALUATION_DATE = "after_evaluation_date"
    NOT_A_GB_CODE = "not_a_gb_code"
    NOT_ISO_DATE_LIST = "not_iso_date_list"
    NOT_AMONG_CODES = "not_among_codes"
    NOT_OF_TYPE = "not_of_type"
    # the registry import (casework/bulk_import.py, registry/, store/checks.py, ledger/contributions.py)
    SAME_PERSON_AS = "same_person_as"
    NO_SUCH_PERSON = "no_such_person"
    ID_NOT_18 = "id_not_18"
    ID_REGION = "id_region"
    ID_BIRTH_DIGITS = "id_birth_digits"
    ID_BIRTH_RANGE = "id_birth_range"
    ID_CHECK_DIGIT = "id_check_digit"
    ALREADY_REGISTERED = "already_registered"
    RESIDENCE_BEFORE_ID_BIRTH = "residence_before_id_birth"
    RESIDENCE_IN_FUTURE = "residence_in_future"
    PROOF_REF_REQUIRED = "proof_ref_required"
    NOT_A_PREFECTURE = "not_a_prefecture"
    NAME_LENGTH = "name_length"
    PHONE_FORM = "phone_form"
    PERIOD_NOT_A_MONTH = "period_not_a_month"
    PERIOD_TWICE = "period_twice"
    WAITING_MONTH_BASE = "waiting_month_base"
    BASE_NOT_POSITIVE = "base_not_positive"
    MONTH_RECORDED = "month_recorded"
    DRAWS_PENSION = "draws_pension"
    UNTRANSLATED = "untranslated"
    # the API's errors (api/, casework/, ledger/, registry/): who may do what, what exists, what clashes
    NOT_LOGGED_IN = "not_logged_in"
    WRONG_LOGIN = "wrong_login"
    ACCOUNT_GONE = "account_gone"
    TOKEN_NAMES_NO_USER = "token_names_no_user"
    TOKEN_EXPIRED = "token_expired"
    TOKEN_INVALID = "token_invalid"
    TOO_MANY_LOGINS = "too_many_logins"
    ROLE_MAY_NOT = "role_may_not"
    ROLE_MAY_NOT_APPLY = "role_may_not_apply"
    ROLE_MAY_NOT_RECORDS = "role_may_not_records"
    REGION_OUTSIDE = "region_outside"
    AGGREGATES_ONLY = "aggregates_only"
    OWN_RECORD_ONLY = "own_record_only"
    NO_PERSON_WITH_KEY = "no_person_with_key"
    NOT_INSURED_THERE = "not_insured_there"
    NO_INSURANCE_MONTHS = "no_insurance_months"
    ROWS_OUTSIDE = "rows_outside"
    RESIDENT_ACTS_FOR_OWN = "resident_acts_for_own"
    APPLICATION_REGION_OUTSIDE = "application_region_outside"
    RESIDENT_APPLIES_FOR_OWN = "resident_applies_for_own"
    GUARDIAN_KINDS_ONLY = "guardian_kinds_only"
    RESIDENT_SEES_OWN_APPLICATIONS = "resident_sees_own_applications"
    PASSWORD_CHANGE_FIRST = "password_change_first"
    PASSWORD_TOO_SHORT = "password_too_short"
    PASSWORD_IS_USER_NAME = "password_is_user_name"
    PASSWORD_UNCHANGED = "password_unchanged"
    CURRENT_PASSWORD_WRONG = "current_password_wrong"
    NO_ACCOUNT = "no_account"
    NO_ACCOUNT_IN_JURISDICTION = "no_account_in_jurisdiction"
    NO_PERSON_IN_JURISDICTION = "no_person_in_jurisdiction"
    JURISDICTION_NOT_INSIDE = "jurisdiction_not_inside"
    ALREADY_HAS_LOGIN = "already_has_login"
    OWN_ACCOUNT_UNCHANGED = "own_account_unchanged"
    USER_NAME_FORM = "user_name_form"
    RESIDENT_NEEDS_PERSON = "resident_needs_person"
    RESIDENT_HAS_NO_JURISDICTION = "resident_has_no_jurisdiction"
    STAFF_NEEDS_JURISDICTION = "staff_needs_jurisdiction"
    ONLY_RESIDENT_HAS_PERSON = "only_resident_has_person"
    ROLE_KIND_FIXED = "role_kind_fixed"
    TOO_MANY_TO_SORT = "too_many_to_sort"
    TOO_MANY_RUNS = "too_many_runs"
    NO_SCENARIO_RUN = "no_scenario_run"
    RUN_NOT_DONE = "run_not_done"
    SCENARIO_OUTSIDE = "scenario_outside"
    NO_SAVED_SCENARIO = "no_saved_scenario"
    NO_SCENARIO = "no_scenario"
    SCENARIO_EXISTS = "scenario_exists"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    IDEMPOTENCY_KEY_BUSY = "idempotency_key_busy"
    MAKER_CANNOT_CHECK = "maker_cannot_check"
    HELD_MOVE_STALE = "held_move_stale"
    NO_HELD_ITEM = "no_held_item"
    HELD_ITEM_DECIDED = "held_item_decided"
    HELD_ITEM_RACE = "held_item_race"
    TRANSFER_APPLIED_ELSEWHERE = "transfer_applied_elsewhere"
    NO_TRANSFER = "no_transfer"
    TRANSFER_RELEASED_BY = "transfer_released_by"
    VOUCHER_ISSUER_OUTSIDE = "voucher_issuer_outside"
    NO_PERMIT = "no_permit"
    NO_REGION = "no_region"
    REGION_CODE_FORM = "region_code_form"
    NO_FISCAL_SCHEME = "no_fiscal_scheme"
    PERSON_REGION_OUTSIDE = "person_region_outside"
    PEOPLE_NOT_DATES = "people_not_dates"
    NO_INSTANCE_REGION = "no_instance_region"
    USER_NAME_TAKEN = "user_name_taken"
    NOT_A_JURISDICTION = "not_a_jurisdiction"
    MESSAGE_PURGED = "message_purged"
    NOT_A_PEER = "not_a_peer"
    NO_OUTGOING_MESSAGE = "no_outgoing_message"
    NO_LONGER_A_PEER = "no_longer_a_peer"
    REVERSE_OR_RESEND = "reverse_or_resend"
    MESSAGE_NOT_DISPUTED = "message_not_disputed"
    CITY_OUTSIDE_DESTINATION = "city_outside_destination"
    NOTHING_TO_TRANSFER = "nothing_to_transfer"
    LOGIN_HAS_NO_PERSON = "login_has_no_person"
    UNKNOWN_FILE_FORMAT = "unknown_file_format"
    FILE_UNREADABLE = "file_unreadable"
    FILE_HEADER_WRONG = "file_header_wrong"
    FILE_ROWS_WRONG = "file_rows_wrong"
    OPERATOR_NO_ACCOUNT = "operator_no_account"
    NO_APPLICATION = "no_application"
    APPEAL_NEEDS_REASON = "appeal_needs_reason"
    STEP_NOT_ALLOWED = "step_not_allowed"
    NO_POINTS_SCHEME = "no_points_scheme"
    NO_ANNUAL_QUOTA = "no_annual_quota"
    NO_QUOTA_RUN = "no_quota_run"
    NOT_A_SYNTHETIC_CITY = "not_a_synthetic_city"
    CAPACITY_REQUIRED = "capacity_required"
    NOT_A_STORED_ATTRIBUTE = "not_a_stored_attribute"
    NO_PERMIT_RULE = "no_permit_rule"
    PERMIT_TOO_EARLY = "permit_too_early"
    PERMIT_HELD = "permit_held"
    PERMIT_HOLDER_MOVED = "permit_holder_moved"
    PERMIT_RENEWED = "permit_renewed"
    ALREADY_LIVES_THERE = "already_lives_there"
    MOVE_BEFORE_RESIDENCE = "move_before_residence"
    PARENT_BORN_AFTER = "parent_born_after"
    ALREADY_LINKED = "already_linked"
    TWO_PARENTS_LINKED = "two_parents_linked"
    HUKOU_ALREADY_THERE = "hukou_already_there"
    SETTLE_BEFORE_RESIDENCE = "settle_before_residence"
    REGION_CODE_FORM_OF = "region_code_form_of"
    VOUCHER_REDEEMED = "voucher_redeemed"
    VOUCHER_VALUE_NOT_POSITIVE = "voucher_value_not_positive"
    VOUCHER_EXPIRES_BEFORE_ISSUE = "voucher_expires_before_issue"
    VOUCHER_SERVICE_REQUIRED = "voucher_service_required"
    NO_VOUCHER = "no_voucher"
    VOUCHER_REDEEMED_ON = "voucher_redeemed_on"
    VOUCHER_EXPIRED = "voucher_expired"
    VOUCHER_PROVIDER_ELSEWHERE = "voucher_provider_elsewhere"
    TRANSFER_SAME_PLACE = "transfer_same_place"
    NOTHING_HELD = "nothing_held"
    DRAWS_PENSION_NO_TRANSFER = "draws_pension_no_transfer"
    TEMPORARY_ACCOUNT_THERE = "temporary_account_there"
    TRANSFER_NOT_WAITING = "transfer_not_waiting"
    NO_PENSION_CONTRIBUTIONS = "no_pension_contributions"
    DRAWING_PLACE_DECIDED = "drawing_place_decided"
    OVER_BUDGET = "over_budget"
    OVER_LIMIT = "over_limit"
    NO_MONTHS_GIVEN = "no_months_given"
    GRADE_RANGE = "grade_range"
    SCHOOL_REQUIRED = "school_required"
    SCHOOL_YEAR_BEFORE_BIRTH = "school_year_before_birth"
    SCHOOL_YEAR_RECORDED = "school_year_recorded"
    FILING_SAME_PROVINCE = "filing_same_province"
    FILING_LOCKED = "filing_locked"
    BILL_EMPTY = "bill_empty"
    NO_MEDICAL_POLICY = "no_medical_policy"
    NO_CATALOGUE = "no_catalogue"
    FACT_REFUSED = "fact_refused"
    REQUEST_INVALID = "request_invalid"
    FIELD_NOT_ALLOWED = "field_not_allowed"
    VALUE_INVALID = "value_invalid"
    NO_SUCH_PATH = "no_such_path"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    BODY_TOO_LARGE = "body_too_large"
    DATABASE_TIMEOUT = "database_timeout"
    DATABASE_UNAVAILABLE = "database_unavailable"
    VALUE_DOES_NOT_FIT = "value_does_not_fit"
    INTERNAL = "internal"
    IN_TWO_LANGUAGES = "in_two_languages"
    UNCODED = "uncoded"
    # a reform scenario and its simulation settings (parameters/, simulation/spec.py, api/scenario_files.py)
    PARAMETER_NOT_BOOL = "parameter_not_bool"
    PARAMETER_NOT_NUMBER = "parameter_not_number"
    PARAMETER_NEGATIVE = "parameter_negative"
    SCENARIO_UNKNOWN_PARAMETER = "scenario_unknown_parameter"
    SCENARIO_PARAMETER_VALUE = "scenario_parameter_value"
    SCENARIO_OVERRIDE_REGION = "scenario_override_region"
    SCENARIO_REGION_NOT_MAPPING = "scenario_region_not_mapping"
    SCENARIO_OVERRIDE_FIELDS = "scenario_override_fields"
    SCENARIO_SINCE_NOT_DATE = "scenario_since_not_date"
    SCENARIO_NEEDS_OVERRIDES = "scenario_needs_overrides"
    SCENARIO_OVERRIDE_ITEM = "scenario_override_item"
    SCENARIO_OVERRIDES_FORM = "scenario_overrides_form"
    SCENARIO_NOT_YAML = "scenario_not_yaml"
    SCENARIO_NOT_A_MAPPING = "scenario_not_a_mapping"
    SCENARIO_NAME_FORM = "scenario_name_form"
    SCENARIO_RENAMED = "scenario_renamed"
    SCENARIO_OR_OVERRIDES = "scenario_or_overrides"
    SCENARIO_NEEDS_NAME = "scenario_needs_name"
    REFORMS_DISAGREE = "reforms_disagree"
    REFORM_NAME_TAKEN = "reform_name_taken"
    SIMULATION_NOT_A_MAPPING = "simulation_not_a_mapping"
    SIMULATION_NOT_A_SETTING = "simulation_not_a_setting"
    SIMULATION_SETTING_DIFFERS = "simulation_setting_differs"
    SIMULATION_SAMPLE_FORM = "simulation_sample_form"
    SIMULATION_SAMPLE_RANGE = "simulation_sample_range"
    SIMULATION_YEARS_FORM = "simulation_years_form"
    SIMULATION_YEARS_RANGE = "simulation_years_range"
    SIMULATION_DAY_FORM = "simulation_day_form"
    SIMULATION_SERVICES_FORM = "simulation_services_form"
    # a person's attributes as the registry keeps them (registry/residents.py)
    ATTRIBUTE_REFUSED = "attribute_refused"
    ATTRIBUTE_TOO_MANY_DATES = "attribute_too_many_dates"
    ATTRIBUTE_NOT_OF_TYPE = "attribute_not_of_type"
    # the fiscal parameters, as shipped or changed by a request or a reform (fiscal/parameters.py)
    FISCAL_NOT_A_MAPPING = "fiscal_not_a_mapping"
    FISCAL_MISSING = "fiscal_missing"
    FISCAL_NOT_A_NUMBER = "fiscal_not_a_number"
    FISCAL_NEGATIVE = "fiscal_negative"
    FISCAL_NOT_A_SHARE = "fiscal_not_a_share"
    FISCAL_FUND_NEGATIVE = "fiscal_fund_negative"
    FISCAL_FUND_NOT_WHOLE = "fiscal_fund_not_whole"
    FISCAL_SHARES_FORM = "fiscal_shares_form"
    FISCAL_SHARES_UNKNOWN = "fiscal_shares_unknown"
    FISCAL_SHARES_SUM = "fiscal_shares_sum"
    FISCAL_CAPACITY_FACTORS = "fiscal_capacity_factors"
    FISCAL_RATIO_BELOW_ONE = "fiscal_ratio_below_one"
    FISCAL_SERVICE_WEIGHTS_FORM = "fiscal_service_weights_form"
    FISCAL_COST_SHARES_FORM = "fiscal_cost_shares_form"
    FISCAL_EFFECTIVE_NOT_DATE = "fiscal_effective_not_date"
    NO_FISCAL_SCHEME_ON = "no_fiscal_scheme_on"
    # a request's field as its model checks it (api/error_handlers.py: pydantic's error types; api/routes/)
    GREATER_THAN = "greater_than"
    LESS_THAN = "less_than"
    TOO_SHORT = "too_short"
    TOO_FEW_ITEMS = "too_few_items"
    TOO_MANY_ITEMS = "too_many_items"
    PATTERN_MISMATCH = "pattern_mismatch"
    YAML_OR_FIELDS = "yaml_or_fields"
    RUN_YEARS_RANGE = "run_years_range"
    # cross-province medical treatment: the insured place's policy, the treatment place's catalogue (ledger/medical.py)
    MEDICAL_POLICY_RANGE = "medical_policy_range"
    MEDICAL_POLICY_SOURCE = "medical_policy_source"
    CATALOGUE_ITEM_FORM = "catalogue_item_form"
    CATALOGUE_CODE_TWICE = "catalogue_code_twice"
    NO_FILING_RULE = "no_filing_rule"
    # a policy file, a policy test or a parameter file, as its author wrote it (rules/, parameters/): the place in
    # the file (FILE_*: the file, the key path, the line where the YAML gives it) around the reason
    FILE_REASON = "file_reason"
    FILE_AT = "file_at"
    FILE_AT_LINE = "file_at_line"
    FILE_LINE = "file_line"
    AT = "at"
    POLICY_NOT_UTF8 = "policy_not_utf8"
    POLICY_YAML_SYNTAX = "policy_yaml_syntax"
    POLICY_NO_DIRECTORY = "policy_no_directory"
    POLICY_NO_NATIONAL = "policy_no_national"
    POLICY_NOT_A_MAPPING = "policy_not_a_mapping"
    POLICY_MISSING_FIELD = "policy_missing_field"
    POLICY_UNKNOWN_FIELDS = "policy_unknown_fields"
    POLICY_NOT_A_DATE = "policy_not_a_date"
    POLICY_DATE_WRITE_AS = "policy_date_write_as"
    POLICY_NOT_A_CODE = "policy_not_a_code"
    POLICY_NOT_A_CODE_NEAR = "policy_not_a_code_near"
    POLICY_CODE_NOT_FILE_NAME = "policy_code_not_file_name"
    POLICY_UNKNOWN_AGGLOMERATION = "policy_unknown_agglomeration"
    POLICY_UNKNOWN_SIZE_CLASSES = "policy_unknown_size_classes"
    POLICY_RECOGNISES = "policy_recognises"
    POLICY_UNKNOWN_VARIABLE = "policy_unknown_variable"
    POLICY_UNKNOWN_VARIABLE_NEAR = "policy_unknown_variable_near"
    POLICY_UNKNOWN_SERVICE = "policy_unknown_service"
    POLICY_LABEL_LANGUAGES = "policy_label_languages"
    POLICY_LABEL_BOTH = "policy_label_both"
    POLICY_OP_FOR_KIND = "policy_op_for_kind"
    POLICY_ONE_OF_FIELDS = "policy_one_of_fields"
    POLICY_COUNT_FORM = "policy_count_form"
    POLICY_CONDITION_KIND = "policy_condition_kind"
    POLICY_NOT_AMONG_CATEGORIES = "policy_not_among_categories"
    POLICY_NOT_A_DURATION = "policy_not_a_duration"
    POLICY_DATE_NEEDS_WINDOW = "policy_date_needs_window"
    POLICY_DATES_WINDOW = "policy_dates_window"
    POLICY_WITHIN_NO_VALUE = "policy_within_no_value"
    POLICY_COUNT_NOT_A_NUMBER = "policy_count_not_a_number"
    POLICY_NEEDS_LIST = "policy_needs_list"
    POLICY_OF_SELF_OR_PARENT = "policy_of_self_or_parent"
    POLICY_NOT_A_NUMBER_OR_PARAM = "policy_not_a_number_or_param"
    POLICY_DURATION_FORM = "policy_duration_form"
    POLICY_NOT_A_WHOLE_NUMBER = "policy_not_a_whole_number"
    POLICY_RATES_ORDER = "policy_rates_order"
    POLICY_POINTS_MAP = "policy_points_map"
    POLICY_VARIABLE_KIND = "policy_variable_kind"
    POLICY_FACTOR_NEGATIVE = "policy_factor_negative"
    POLICY_WHEN_CODES = "policy_when_codes"
    POLICY_COMBINATION = "policy_combination"
    POLICY_WINDOW_IN_MONTHS = "policy_window_in_months"
    POLICY_NOT_ONE_OF = "policy_not_one_of"
    POLICY_NAMES_REPEAT = "policy_names_repeat"
    POLICY_UNMODELLED_TWICE = "policy_unmodelled_twice"
    POLICY_INPUT_NAME_FORM = "policy_input_name_form"
    POLICY_INPUT_RESERVED = "policy_input_reserved"
    POLICY_INPUT_NEEDS = "policy_input_needs"
    POLICY_INPUT_TOO_MANY_CATEGORIES = "policy_input_too_many_categories"
    POLICY_INPUT_ONLY_FOR = "policy_input_only_for"
    POLICY_INPUT_EXAMPLE = "policy_input_example"
    POLICY_INPUT_NEEDS_EXAMPLE = "policy_input_needs_example"
    POLICY_INPUT_SOURCE = "policy_input_source"
    POLICY_INPUT_DECLARED_TWICE = "policy_input_declared_twice"
    POLICY_INPUT_NOT_DECLARED = "policy_input_not_declared"
    POLICY_NOT_DEFINED = "policy_not_defined"
    POLICY_PARAMETER_UNIT = "policy_parameter_unit"
    POLICY_VALUE_UNUSABLE = "policy_value_unusable"
    POLICY_PARAMETER_NOT_IN_FORCE = "policy_parameter_not_in_force"
    POLICY_DEPENDENCY_CYCLE = "policy_dependency_cycle"
    POLICY_NO_EXAMPLE = "policy_no_example"
    POLICY_NO_PEOPLE = "policy_no_people"
    POLICY_TEST_NEEDS_CASES = "policy_test_needs_cases"
    POLICY_TEST_NO_PERSON = "policy_test_no_person"
    POLICY_TEST_UNKNOWN_OUTPUT = "policy_test_unknown_output"
    POLICY_TEST_UNKNOWN_OUTPUT_NEAR = "policy_test_unknown_output_near"
    PARAMETER_UNIT = "parameter_unit"
    PARAMETER_NEEDS_VALUE = "parameter_needs_value"
    PARAMETER_SOURCE = "parameter_source"
    PARAMETER_SAME_DATE = "parameter_same_date"
    PARAMETER_UNKNOWN = "parameter_unknown"
    PARAMETER_NOT_IN_FORCE = "parameter_not_in_force"
    PARAMETER_NOT_IN_FORCE_IN = "parameter_not_in_force_in"
    PARAMETER_FILE_NEEDS = "parameter_file_needs"
    PARAMETER_KEY_PREFIX = "parameter_key_prefix"
    PARAMETER_LOCAL_CODE = "parameter_local_code"
    PARAMETER_NOT_NATIONAL = "parameter_not_national"
    PARAMETER_UNIT_DIFFERS = "parameter_unit_differs"
    PARAMETER_DEFINED_TWICE = "parameter_defined_twice"
    PARAMETER_FILE_UNREADABLE = "parameter_file_unreadable"
    PARAMETER_LOCAL_FILE = "parameter_local_file"
    # a granted application left out of a quota run (casework/quota_runs.py)
    QUOTA_NO_LINKED_PARENT = "quota_no_linked_parent"
    QUOTA_PREREQUISITES_UNMET = "quota_prerequisites_unmet"
    QUOTA_PREREQUISITES_UNDECIDED = "quota_prerequisites_undecided"
    QUOTA_PREREQUISITES_MISSING = "quota_prerequisites_missing"
    QUOTA_POINTS_UNASSESSED = "quota_points_unassessed"
    QUOTA_POINTS_MISSING = "quota_points_missing"
    QUOTA_TIE_BREAK_MISSING = "quota_tie_break_missing"
    # a decision on an application without a reason of its own (casework/application_records.py)
    DRAFT_CONTRADICTS_DECISION = "draft_contradicts_decision"
    # a facility list's coordinates against China and the region the row names (tables/kinds.py: facility_schema)
    LON_LAT_SWAPPED = "lon_lat_swapped"
    LON_LAT_OUTSIDE_CHINA = "lon_lat_outside_china"
    FACILITY_OUTSIDE_REGION = "facility_outside_region"
    # a facility list or scenario population that cannot be stored beside the stored ones (planning/datasets.py,
    # planning/facilities.py)
    FACILITY_SCOPE_CLASH = "facility_scope_clash"
    FACILITY_COARSER_THAN_SCOPE = "facility_coarser_than_scope"
    FACILITY_LIST_EMPTY = "facility_list_empty"
    POPULATION_LEVEL_CLASH = "population_level_clash"
    # a resident import's 出生日期 and 性别 against the identity number (casework/bulk_import.py)
    BIRTH_DATE_NOT_ID = "birth_date_not_id"
    SEX_NOT_ID = "sex_not_id"
    # a share (unit ratio) outside 0–1, e.g. a reform's "5" meant as 5% (parameters/model.py: check_value)
    PARAMETER_SHARE_RANGE = "parameter_share_range"
    # the list of fiscal schemes, fiscal_parameters.yaml (fiscal/parameters.py), placed in its file
    FISCAL_SCHEMES_LIST = "fiscal_schemes_list"
    FISCAL_SCHEME_TWICE = "fiscal_scheme_twice"
    # a fiscal run's input (cli/fiscal.py, jobs/fiscal.py, fiscal/clearing.py) and an allocation with no solution
    # (fiscal/allocation.py)
    FISCAL_OPTION_NOT_A_DATE = "fiscal_option_not_a_date"
    FISCAL_GAPS_UNAVAILABLE = "fiscal_gaps_unavailable"
    FISCAL_FILE_NOT_FOUND = "fiscal_file_not_found"
    FISCAL_REDEMPTIONS_UNREADABLE = "fiscal_redemptions_unreadable"
    FISCAL_REDEMPTIONS_COLUMNS = "fiscal_redemptions_columns"
    FISCAL_REDEMPTIONS_NOT_NUMERIC = "fiscal_redemptions_not_numeric"
    FISCAL_REDEMPTIONS_EMPTY = "fiscal_redemptions_empty"
    FISCAL_REDEMPTIONS_AMOUNT = "fiscal_redemptions_amount"
    FISCAL_FLOORS_EXCEED_FUND = "fiscal_floors_exceed_fund"
    FISCAL_EQUITY_BINDS = "fiscal_equity_binds"
    FISCAL_FLOORS_BIND = "fiscal_floors_bind"
    FISCAL_FLOORS_AND_EQUITY_BIND = "fiscal_floors_and_equity_bind"
    # a simulation's scenario files, unit costs, declared-input defaults, population parameters and stored population
    # (simulation/spec.py, costs.py, evaluators.py, declared.py, attribute_parameters.py, store.py, run.py)
    SIMULATION_NO_FILES = "simulation_no_files"
    SIMULATION_FILE_NOT_FOUND = "simulation_file_not_found"
    SIMULATION_FILE_UNREADABLE = "simulation_file_unreadable"
    SIMULATION_NOT_YAML = "simulation_not_yaml"
    SIMULATION_UNIT_COST = "simulation_unit_cost"
    SIMULATION_COSTS_FORM = "simulation_costs_form"
    SIMULATION_COST_PLACES = "simulation_cost_places"
    SIMULATION_COST_PLACE_FORM = "simulation_cost_place_form"
    SIMULATION_COST_PLACE_MISSING = "simulation_cost_place_missing"
    SIMULATION_COST_PLACE_NUMBERS = "simulation_cost_place_numbers"
    SIMULATION_COST_PLACE_RANGE = "simulation_cost_place_range"
    SIMULATION_UNKNOWN_SERVICE = "simulation_unknown_service"
    SIMULATION_INPUT_NOT_DECLARED = "simulation_input_not_declared"
    SIMULATION_INPUT_DEFAULTS = "simulation_input_defaults"
    SIMULATION_INPUT_WHOLE = "simulation_input_whole"
    SIMULATION_INPUT_SHARE = "simulation_input_share"
    SIMULATION_INPUT_SHARE_EACH = "simulation_input_share_each"
    SIMULATION_INPUT_SHARES_SUM = "simulation_input_shares_sum"
    SIMULATION_INPUT_DATES_DEFAULT = "simulation_input_dates_default"
    SIMULATION_INPUT_NO_DEFAULT = "simulation_input_no_default"
    SIMULATION_INPUT_DEFAULT_FORM = "simulation_input_default_form"
    SIMULATION_POPULATION_PARAMETER = "simulation_population_parameter"
    SIMULATION_SHARES_SUM = "simulation_shares_sum"
    SIMULATION_NO_MANIFEST = "simulation_no_manifest"
    SIMULATION_MANIFEST_INVALID = "simulation_manifest_invalid"
    SIMULATION_CHUNK_MISSING = "simulation_chunk_missing"
    SIMULATION_CHUNK_UNKNOWN_CITY = "simulation_chunk_unknown_city"
    SIMULATION_POPULATION_FIXED = "simulation_population_fixed"
    SIMULATION_POPULATION_DIFFERS = "simulation_population_differs"
    CATEGORY_NOT_ONE_OF = "category_not_one_of"
    CATEGORY_NOT_ONE_OF_NEAR = "category_not_one_of_near"
    TOTAL_ROW = "total_row"
    ID_AS_NUMBER = "id_as_number"
    ID_CHECK_DIGIT_AS_NUMBER = "id_check_digit_as_number"
    # a scenario run's progress and end as its page shows them (api/scenario_runs.py), its results as a file
    RUN_PREPARING = "run_preparing"
    RUN_COMPUTING_YEAR = "run_computing_year"
    RUN_INTERRUPTED = "run_interrupted"
    RUN_FAILED_UNEXPECTEDLY = "run_failed_unexpectedly"
    XLSX_TOO_MANY_ROWS = "xlsx_too_many_rows"
    # security audit (sec-audit): a row of a file naming a person outside the caller's jurisdiction
    NO_SUCH_PERSON_IN_JURISDICTION = "no_such_person_in_jurisdiction"
    MAKER_CONTROLS_CHECKER = "maker_controls_checker"
    # a policy author's mistakes the loader named unclearly or not at all (walk-analyst, rules/grammar.py, model.py)
    POLICY_DURATION_NEEDS_UNIT = "policy_duration_needs_unit"
    POLICY_ADMISSION_LINE_FORM = "policy_admission_line_form"
    # a planner's facility list as written (tables/vocab.py)
    DEGREES_MINUTES_SECONDS = "degrees_minutes_seconds"
    # walk-resident: a date field of a request (the API reads only ISO days; files read the forms people write)
    REQUEST_NOT_A_DATE = "request_not_a_date"
    # rules-words: a place people write that has no division code of its own (domain/new_areas.py)
    NOT_A_REGION_NEW_AREA = "not_a_region_new_area"
    # analyst-out: `changzhu plan --uploaded-facilities` (planning/datasets.py: uploaded_facilities)
    FACILITY_NOT_UPLOADED = "facility_not_uploaded"
    FACILITY_NONE_UPLOADED = "facility_none_uploaded"
    FACILITY_LIST_TWICE = "facility_list_twice"
    # sec-decide: the security audit's four open decisions (docs/api.md, "Decisions of the security audit")
    ACTIVATION_CODE_EXPIRED = "activation_code_expired"
    APPEAL_DECIDED_BY_OTHER = "appeal_decided_by_other"
    NO_PERSON_IN_REACH = "no_person_in_reach"
    # walkoffice: a number written with its unit in an office's file (tables/vocab.py)
    NUMBER_WITH_UNIT = "number_with_unit"
    CSV_ROW_TOO_MANY_CELLS = "csv_row_too_many_cells"
    # moveout: a person handed over to another province's instance (跨省通办) is history at the sender
    PERSON_MOVED_OUT = "person_moved_out"
    # officepolish: a region written near a known name, suggested by its name in the reader's language and its code
    # (NOT_A_REGION_NEAR, which suggested the Chinese name alone, stays for the import results stored with it)
    NOT_A_REGION_NEAR_PLACE = "not_a_region_near_place"
    # movedout: a step on an application whose applicant was handed over to another province's instance (跨省通办)
    APPLICANT_MOVED_OUT = "applicant_moved_out"
    CLOSE_ONLY_MOVED_OUT = "close_only_moved_out"
    # siting: where-to-build plans started from the office (api/siting_runs.py, planning/region_siting.py)
    NO_SITING_RUN = "no_siting_run"
    SITING_REGION_LEVEL = "siting_region_level"
    SITING_NO_REGION = "siting_no_region"
    SITING_TOO_FEW_COUNTIES = "siting_too_few_counties"
    SITING_NEEDS_SCHOOL_LIST = "siting_needs_school_list"
    SITING_PREPARING = "siting_preparing"
    SITING_SOLVING = "siting_solving"
    # tidy: stored ciphertext the server's identity key cannot decrypt (registry/identity.py: IdentityKeyMismatch)
    IDENTITY_KEY_MISMATCH = "identity_key_mismatch"
    # leak39: a write refused for a person handed over to another province's instance, told to a caller who may write
    # to her through another tie (her hukou region, where she is insured) but may not see where she lives
    PERSON_MOVED_OUT_ELSEWHERE = "person_moved_out_elsewhere"
    # a disputed hand-over that can no longer be reversed (api/interregion/transfer.py, `reverse`)
    REVERSAL_AFTER_RETURN = "reversal_after_return"
    REVERSAL_RECORDS_MOVED_ON = "reversal_records_moved_on"
    # journey39a: an office's file as a clerk saves it (tables/read.py, tables/vocab.py)
    HEADER_BLANK = "header_blank"
    EXCEL_SERIAL_DATE = "excel_serial_date"
    # journey39b: a facility list without a region column, its region read from the start of the address
    NO_REGION_IN_ADDRESS = "no_region_in_address"
    # movednet: what a caller who may not see a person handed over to another province's instance is told of her
    # application, and an arrival recorded for her here (api/application_writes.py, api/registry_writes.py)
    APPLICANT_MOVED_OUT_ELSEWHERE = "applicant_moved_out_elsewhere"
    ARRIVAL_AFTER_HAND_OVER = "arrival_after_hand_over"
    # files41: an office's file that is no table, or a blank header named by its number and letter (tables/)
    HEADER_BLANK_AT = "header_blank_at"
    FILE_EMPTY = "file_empty"
    FILE_NOT_A_TABLE = "file_not_a_table"
    FILE_NOT_TEXT = "file_not_text"
    WORKBOOK_UNREADABLE = "workbook_unreadable"
    FILE_NO_ROWS = "file_no_rows"
    # cli41: a cancelled voucher presented for redemption, told to the provider as cancelled (when, if known), never
    # why: the holder's move to another province is not the provider's to learn (its old reason said it)
    VOUCHER_CANCELLED_ON = "voucher_cancelled_on"
    VOUCHER_CANCELLED = "voucher_cancelled"
    # a person key no one has, or no one within the user's reach, told to an operator at the command line, who typed
    # the key (the API's wording speaks of a link to follow)
    CLI_NO_PERSON_WITH_KEY = "cli_no_person_with_key"
    CLI_NO_PERSON_IN_REACH = "cli_no_person_in_reach"
    # an operator's option written wrong at the command line: what was wrong and how to write it
    CLI_OPTION_NOT_A_DATE = "cli_option_not_a_date"
    CLI_OPTION_NOT_A_MONTH = "cli_option_not_a_month"
    CLI_OPTION_NOT_ONE_OF = "cli_option_not_one_of"
    CLI_REGION_NAME_NOT_CODE = "cli_region_name_not_code"
    CLI_REGION_NOT_A_CODE = "cli_region_not_a_code"
    CLI_FILE_NOT_FOUND = "cli_file_not_found"
    # review41: a name several regions share (南山: Hegang's and Shenzhen's districts) where a region code goes, told
    # with each region's code, not one of them suggested
    CLI_REGION_NAME_SHARED = "cli_region_name_shared"
    # a sheet named (--sheet) that the workbook does not have, told with the sheets it has (was the reader's words:
    # "no matching sheet found when `sheet_name` is 'Sheet1'", in English, after the file's path)
    SHEET_NOT_IN_WORKBOOK = "sheet_not_in_workbook"
    # the operator CLI's reading commands (cli/reads.py)
    CLI_NO_ID_IN_REACH = "cli_no_id_in_reach"

    # what a siting run's access figures are, an estimate: kept coded on the run, worded when read (api/siting_runs.py)
    SITING_ESTIMATE_BEDS = "siting_estimate_beds"
    SITING_ESTIMATE_SCHOOLS = "siting_estimate_schools"
    # a second application to take over what a place holds while one is open (the office accepted it: four open
    # transfers on one statement)
    TRANSFER_ALREADY_OPEN = "transfer_already_open"
    # a user's table with columns the schema does not know (files42): left out with a warning, unless one reads as
    # a known column's header mistyped
    COLUMNS_NOT_READ = "columns_not_read"
    HEADER_LIKE_KNOWN = "header_like_known"
    # review42src: `changzhu ledger transfer` given the number of another application (another person, scheme or
    # places): refused, not completed as if it were the one the command names
    TRANSFER_NO_OTHER_APPLICATION = "transfer_no_other_application"
    # cli45: a header like a column's Chinese label, told naming that label once (was 「户籍地」（户籍地）); a
    # school-place quota run or simulation without the places (`quota run|simulate` without --capacity): the API's
    # CAPACITY_REQUIRED names its field, this the option and how to write it
    HEADER_LIKE_CHINESE_LABEL = "header_like_chinese_label"
    CLI_QUOTA_NEEDS_CAPACITY = "cli_quota_needs_capacity"
    # fiscal46: the fiscal computations' own checks of their tables and inputs (fiscal/apportion.py, equity.py,
    # transfers.py, allocation.py, cost_sharing.py, run.py), each told in the reader's language: a table and its
    # columns in words ({table_zh}, {column_zh}), rows counted from 1, regions by name ({region:place})
    FISCAL_SPLIT_NEGATIVE_TOTAL = "fiscal_split_negative_total"
    FISCAL_SPLIT_NO_ROWS = "fiscal_split_no_rows"
    FISCAL_SPLIT_BAD_WEIGHT = "fiscal_split_bad_weight"
    FISCAL_SPLIT_ZERO_WEIGHTS = "fiscal_split_zero_weights"
    FISCAL_EQUITY_SHAPES = "fiscal_equity_shapes"
    FISCAL_EQUITY_NOT_FINITE = "fiscal_equity_not_finite"
    FISCAL_EQUITY_NO_WEIGHT = "fiscal_equity_no_weight"
    FISCAL_EQUITY_NO_POPULATION = "fiscal_equity_no_population"
    FISCAL_URBANISATION_NOT_POSITIVE = "fiscal_urbanisation_not_positive"
    FISCAL_TABLE_COLUMNS_MISSING = "fiscal_table_columns_missing"
    FISCAL_TABLE_NOT_NUMBER = "fiscal_table_not_number"
    FISCAL_TABLE_VALUE_MISSING = "fiscal_table_value_missing"
    FISCAL_TABLE_NOT_ONE_OF = "fiscal_table_not_one_of"
    FISCAL_TABLE_REGIONS_MISSING = "fiscal_table_regions_missing"
    FISCAL_POT_NO_BASE = "fiscal_pot_no_base"
    FISCAL_GAPS_NO_RESIDENT_ROWS = "fiscal_gaps_no_resident_rows"
    FISCAL_GAPS_ROW_TWICE = "fiscal_gaps_row_twice"
    FISCAL_GAPS_REGIONS_MISSING = "fiscal_gaps_regions_missing"
    FISCAL_POPULATION_MISSING = "fiscal_population_missing"
    FISCAL_REGION_NO_RESIDENTS = "fiscal_region_no_residents"
    FISCAL_FLOOR_NEGATIVE = "fiscal_floor_negative"
    FISCAL_LP_NOT_SOLVED = "fiscal_lp_not_solved"
    FISCAL_DEMAND_UNKNOWN = "fiscal_demand_unknown"
    # a header doubling another where one of the two is the column's own name: the name is not said a second time
    SAME_COLUMN_HEADED = "same_column_headed"
    SCENARIO_NEEDS_TITLE = "scenario_needs_title"
    SCENARIO_TITLE_TOO_LONG = "scenario_title_too_long"
    # cli48: `changzhu ledger contribute` without --base for a scheme paid on a base (was taken as 0 yuan)
    CLI_CONTRIBUTION_NEEDS_BASE = "cli_contribution_needs_base"
    # reviewfiles: a points table's scale with brackets that overlap (18–35 and 30–45: a year in both, the later
    # one silently counting) or run backwards (min above max)
    POLICY_BRACKETS_OVERLAP = "policy_brackets_overlap"
    POLICY_BRACKET_BACKWARDS = "policy_bracket_backwards"
    # clilang: a reform's `title:` not written per language (a plain string, a list, other keys): the shape it takes
    SCENARIO_TITLE_SHAPE = "scenario_title_shape"
    # reviewres: a permit or a move dated after today was stored, and the person's page (and the resident's own) then
    # failed on every opening with an uncoded "date is after the evaluation date": refused when it is recorded
    PERMIT_IN_FUTURE = "permit_in_future"
    MOVE_IN_FUTURE = "move_in_future"
    # a move recorded by the place left, to a place outside its jurisdiction: said who records it (was only "outside
    # your jurisdiction", which left the caseworker to guess)
    MOVE_RECORDED_WHERE_ARRIVED = "move_recorded_where_arrived"
    # files2: a template's example row left in a file; a previous place's months left empty; a missing column named
    # by the headers that give it
    EXAMPLE_ROW = "example_row"
    PRIOR_MONTHS_MISSING = "prior_months_missing"
    COLUMN_MISSING_HEADERS = "column_missing_headers"
    # clizh: the command line's own refusals in the reader's language (were English after 错误：): an option's value not
    # among its choices, a file the option cannot write, what a command needs given, the registry not loaded yet, a
    # peer's public key, a failed policy check, a database the command could not use
    CLI_NOT_ONE_OF = "cli_not_one_of"
    CLI_FILE_SUFFIX = "cli_file_suffix"
    CLI_EXPLAIN_NEEDS_INPUT = "cli_explain_needs_input"
    CLI_EVALUATE_NEEDS_INPUT = "cli_evaluate_needs_input"
    CLI_POLICY_TESTS_FAILED = "cli_policy_tests_failed"
    CLI_CAPACITY_FORM = "cli_capacity_form"
    CLI_PEERS_NEED_REGION = "cli_peers_need_region"
    REGISTRY_NOT_LOADED = "registry_not_loaded"
    UNKNOWN_TABLE_KIND = "unknown_table_kind"
    PEER_KEY_NOT_HEX = "peer_key_not_hex"
    PEER_KEY_LENGTH = "peer_key_length"
    KEY_FILE_OPEN = "key_file_open"
    KEY_FILE_SHORT = "key_file_short"
    KEY_FILE_NOT_KEY = "key_file_not_key"
    TABLE_FILE_FORMAT = "table_file_format"
    TABLE_SHEET_NOT_EXCEL = "table_sheet_not_excel"
    TABLE_DIRECTORY_EMPTY = "table_directory_empty"
    # cliledger: `changzhu ledger check` names each problem it finds in the reader's language (were English after
    # 账户不一致：), and `changzhu peer add` refuses this instance's own public key as a peer's
    LEDGER_UNIT_UNBALANCED = "ledger_unit_unbalanced"
    LEDGER_BALANCE_DIFFERS = "ledger_balance_differs"
    LEDGER_NEGATIVE_BALANCE = "ledger_negative_balance"
    LEDGER_TXN_UNVOUCHED = "ledger_txn_unvouched"
    LEDGER_TXN_MISSING = "ledger_txn_missing"
    LEDGER_TXN_DIFFERS = "ledger_txn_differs"
    LEDGER_VOUCHER_REDEEMED_AGAIN = "ledger_voucher_redeemed_again"
    LEDGER_VOUCHER_ISSUED_REDEEMED = "ledger_voucher_issued_redeemed"
    LEDGER_VOUCHER_CANCELLED_UNEXPLAINED = "ledger_voucher_cancelled_unexplained"
    LEDGER_VOUCHER_CANCELLED_BY = "ledger_voucher_cancelled_by"
    LEDGER_VOUCHER_NO_REDEMPTION = "ledger_voucher_no_redemption"
    PEER_REVERSED_DIFFERS = "peer_reversed_differs"
    PEER_REVERSED_APPLIED = "peer_reversed_applied"
    PEER_REVERSAL_EXISTS = "peer_reversal_exists"
    PEER_MESSAGE_LOST = "peer_message_lost"
    PEER_TOOK_DIFFERENT = "peer_took_different"
    PEER_NEVER_SENT = "peer_never_sent"
    PEER_NOT_CONSERVED = "peer_not_conserved"
    PEER_NO_ANSWER = "peer_no_answer"
    PEER_KEY_IS_OWN = "peer_key_is_own"
    # words: `changzhu ledger check` names an account by its kind, its place and, for a person's, her person key
    # (人员编号), never by its code (P:…:pension_months:510100); the codes above stay for a code of no known shape
    LEDGER_PERSON_BALANCE_DIFFERS = "ledger_person_balance_differs"
    LEDGER_PERSON_NEGATIVE_BALANCE = "ledger_person_negative_balance"
    LEDGER_FUND_BALANCE_DIFFERS = "ledger_fund_balance_differs"
    LEDGER_CLEARING_BALANCE_DIFFERS = "ledger_clearing_balance_differs"
    # `changzhu peer add` refuses a peer URL that is not http(s)://host[:port] in the reader's language (was English)
    PEER_URL_FORM = "peer_url_form"
    # a workbook whose first sheet is not the table, and sheets of the table left unread
    SHEET_READ_NOT_FIRST = "sheet_read_not_first"
    SHEETS_NOT_READ = "sheets_not_read"
    # `changzhu peer add`: a peer is a province of the shipped regions, not this instance's own; a registered peer's
    # key or URL is replaced only on purpose (--replace, as a named administrator, audited)
    PEER_REGION_UNKNOWN = "peer_region_unknown"
    PEER_REGION_NOT_PROVINCE = "peer_region_not_province"
    PEER_REGION_IS_OWN = "peer_region_is_own"
    PEER_ALREADY_REGISTERED = "peer_already_registered"
    PEER_REPLACE_NEEDS_AS = "peer_replace_needs_as"
    # one open application of a kind per person: a second one, or an appeal while another is open, names the open one
    APPLICATION_ALREADY_OPEN = "application_already_open"
    APPEAL_WHILE_ANOTHER_OPEN = "appeal_while_another_open"


_DATE_FORMS_ZH = "2026-06-01、2026/6/1、2026.6.1、20260601 或 2026年6月1日"
_DATE_FORMS_EN = "2026-06-01, 2026/6/1, 2026.6.1, 20260601 or 2026年6月1日"

# code -> (Chinese template, English template), each completed by the refusal's parameters (str.format)
TEMPLATES: dict[RefusalCode, tuple[str, str]] = {
    RefusalCode.NOT_A_DATE: (f"不是日期（{_DATE_FORMS_ZH}）", f"not a date ({_DATE_FORMS_EN})"),
    RefusalCode.NO_SUCH_MONTH: (
        "没有这一天：没有 {month} 月（月份为 1–12）",
        "no such day: there is no month {month} (year {year}, month {month}, day {day})",
    ),
    RefusalCode.NO_SUCH_DAY: (
        "没有这一天：{year} 年 {month} 月没有 {day} 日",
        "no such day: month {month} of {year} has no day {day}",
    ),
    RefusalCode.NOT_A_DATE_IN_LIST: (
        "“{word}”不是日期（2026-06-01、2026/6/1 或 2026年6月1日；多个日期以 ; 分隔；没有则写 无）",
        "{word!r} is not a date (2026-06-01, 2026/6/1 or 2026年6月1日; several: a;b; none: 无)",
    ),
    RefusalCode.NOT_YES_OR_NO: ("不是“是”或“否”", "not yes or no (是/否, true/false, 1/0, Y/N)"),
    RefusalCode.NOT_A_WHOLE_NUMBER: ("不是整数", "not a whole number"),
    RefusalCode.NOT_A_NUMBER: ("不是数字", "not a number"),
    RefusalCode.TOO_LARGE: ("数值过大", "too large a number"),
    RefusalCode.NOT_ONE_OF: ("不是可选值之一：{allowed}", "not one of {allowed}"),
    RefusalCode.NOT_ONE_OF_NEAR: (
        "不是可选值之一：{allowed}；是否指 {near}？",
        "not one of {allowed}; did you mean {near}?",
    ),
    RefusalCode.NOT_AMONG: ("不在可选值之中：{allowed}（多个以 ; 分隔）", "not among {allowed} (several: a;b)"),
    RefusalCode.UNKNOWN_REGION_CODE: ("未知的地区代码", "unknown region code"),
    RefusalCode.UNKNOWN_REGION_CODE_AT_LEVEL: ("未知的地区代码", "unknown region code at {level} level"),
    RefusalCode.AMBIGUOUS_REGION_NAME: (
        "地名 {name} 有重名：请填写代码或连同所属城市的地名（{options:place}）",
        "the name {name} is ambiguous: give the code or the name with its city ({options:place})",
    ),
    RefusalCode.NOT_A_REGION: ("不是地区代码或准确的地名", "not a region code or the exact name of a region"),
    RefusalCode.NOT_A_REGION_NEAR: (
        "不是地区代码或准确的地名；是否指 {near}？",
        "not a region code or the exact name of a region; did you mean {near}?",
    ),
    RefusalCode.HOLDS_NUL: ("含有 NUL 字符", "holds a NUL character (\\x00)"),
    RefusalCode.HOLDS_CONTROL: ("含有控制字符", "holds a control character"),
    RefusalCode.TOO_LONG: ("过长：最多 {limit} 个字符", "is longer than allowed: at most {limit} characters"),
    RefusalCode.VALUE_MISSING: ("缺少数值", "value is missing"),
    RefusalCode.AT_LEAST: ("不得小于 {limit}", "must be at least {limit}"),
    RefusalCode.AT_MOST: ("不得大于 {limit}", "must be at most {limit}"),
    RefusalCode.UNKNOWN_COLUMN: (
        "未知的列，不读取：如果它就是缺少的那一列，请把表头改成该列的名称",
        "unknown column, not read: if it is the missing column, head it by that column's name",
    ),
    RefusalCode.UNKNOWN_COLUMN_NEAR: (
        "未知的列；是否指 {label}（{name}）？",
        "unknown column; did you mean {label} ({name})?",
    ),
    RefusalCode.SAME_COLUMN_AS: ("与“{header}”是同一列（{name}）", 'names the same column as "{header}" ({name})'),
    RefusalCode.COLUMN_MISSING: ("缺少此列", "column is missing"),
    RefusalCode.ON_ANOTHER_ROW: ("与另一行重复", "appears on another row too"),
    RefusalCode.NOT_YYYYMM: (
        "不是月份：请写成 202103、2021-03 或 2021年3月",
        "not a month: write 202103 or 2021-03",
    ),
    RefusalCode.BEFORE_PERIOD_FROM: ("早于起始月份", "is before the first month"),
    RefusalCode.LON_LAT_APART: ("经度和纬度须同时填写或同时留空", "lon and lat must both be given or both be empty"),
    RefusalCode.NO_STANDARD_VALUE: ("请填写标准值、单位成本或两者", "give a standard value, a unit cost or both"),
    RefusalCode.SAME_DAY_TWICE: (
        "另一行为同一地区和服务给出了同一起始日期的值",
        "another row gives it for the same region and service from the same date",
    ),
    RefusalCode.ABOVE_POPULATION: ("超过常住人口", "is more than the resident population"),
    RefusalCode.CHILDREN_BELOW_PARTS: ("小于 0–4 岁与 5–14 岁人数之和", "is less than 0-4 plus 5-14"),
    RefusalCode.MONTHS_NEGATIVE: ("月数不能为负", "months cannot be negative"),
    RefusalCode.COUNT_NEGATIVE: ("次数不能为负", "count cannot be negative"),
    RefusalCode.RATIO_NEGATIVE: ("比值不能为负", "ratio cannot be negative"),
    RefusalCode.INCOME_NEGATIVE: ("收入不能为负", "income cannot be negative"),
    RefusalCode.NEGATIVE: ("不能为负", "cannot be negative"),
    RefusalCode.EXCEEDS_SI_TOTAL: ("超过社保缴费总月数", "exceeds the total months of social insurance contributions"),
    RefusalCode.PRIOR_MONTHS_WITHOUT_REGION: (
        "填写了上一居住地的月数，但没有填写上一居住地",
        "months at a previous residence are given, but not the previous residence",
    ),
    RefusalCode.RESIDENCE_BEFORE_BIRTH: ("居住起始日期早于出生日期", "residence starts before birth"),
    RefusalCode.OWN_PARENT: ("本人不能是自己的父母", "a person cannot be their own parent"),
    RefusalCode.PARENT_CYCLE: ("父母关系形成循环（某人成了自己的祖辈）", "parent links form or lead into a cycle"),
    RefusalCode.NOT_FINITE: (
        "不是有限的数值（不清楚时请留空）",
        "not a finite number (leave the cell empty where it is not known)",
    ),
    RefusalCode.DUPLICATE_PERSON_ID: ("编号与另一行重复", "the same number as another row"),
    RefusalCode.AFTER_EVALUATION_DATE: ("日期晚于判定日期 {date}", "date is after the evaluation date {date}"),
    RefusalCode.NOT_A_GB_CODE: ("不是六位 GB/T 2260 地区代码", "not a six-digit GB/T 2260 code"),
    RefusalCode.NOT_ISO_DATE_LIST: ("不是 ISO 日期的列表（2024-03-01）", "not a list of ISO dates (2024-03-01)"),
    RefusalCode.NOT_AMONG_CODES: ("{shown} 不在可选代码之中：{codes}", "{shown} not among the codes {codes}"),
    RefusalCode.NOT_OF_TYPE: ("无法读作 {dtype}：{detail}", "cannot be read as {dtype}: {detail}"),
    RefusalCode.SAME_PERSON_AS: ("与第 {line} 行是同一人", "same person as row {line}"),
    RefusalCode.NO_SUCH_PERSON: ("没有登记此身份证号码的人员", "no registered person has this identity number"),
    RefusalCode.ID_NOT_18: (
        "身份证号码须为 17 位数字加 1 位数字或 X",
        "identity number must be 17 digits followed by a digit or X",
    ),
    RefusalCode.ID_REGION: (
        "身份证号码的地区代码不是省级代码（以 {prefix} 开头）",
        "identity number: region code starts with {prefix}, not a province code",
    ),
    RefusalCode.ID_BIRTH_DIGITS: (
        "身份证号码中的出生日期不是有效日期",
        "identity number: birth date digits are not a calendar date",
    ),
    RefusalCode.ID_BIRTH_RANGE: (
        "身份证号码中的出生日期早于 1900 年或在未来",
        "identity number: birth date is before 1900 or in the future",
    ),
    RefusalCode.ID_CHECK_DIGIT: (
        "身份证号码校验位不符（GB 11643-1999），号码中有写错的字符：请对照身份证逐位核对，先核对最后一位（校验码，"
        "可能是 0–9 或 X，X 代表 10，要写成字母 X）；身份证号码必须填写，不能留空",
        "identity number: check digit does not match (GB 11643-1999), so a character of it is wrong: compare the number"
        " with the identity card character by character, the last one first (the check character, 0-9 or X, where"
        " X stands for 10 and is written as the letter X); the identity number must be given, it cannot be left"
        " empty",
    ),
    RefusalCode.ALREADY_REGISTERED: (
        "此身份证号码的人员已经登记",
        "a person with this identity number is already registered",
    ),
    RefusalCode.RESIDENCE_BEFORE_ID_BIRTH: (
        "居住起始日期早于身份证号码中的出生日期",
        "the residence start date is before the date of birth in the identity number",
    ),
    RefusalCode.RESIDENCE_IN_FUTURE: ("居住起始日期在未来", "the residence start date is in the future"),
    RefusalCode.PROOF_REF_REQUIRED: ("缺少{kind:term}证明的编号", "the reference of the {kind:term} proof is missing"),
    RefusalCode.NOT_A_PREFECTURE: (
        "{field}：{code} 不是已知的地级地区",
        "{field}: {code} is not a known prefecture-level region",
    ),
    RefusalCode.NAME_LENGTH: ("姓名须为 1 至 {limit} 个字符", "a name has 1 to {limit} printable characters"),
    RefusalCode.PHONE_FORM: ("手机号须为 11 位大陆手机号码", "a phone number is an 11-digit mainland mobile number"),
    RefusalCode.PERIOD_NOT_A_MONTH: (
        "{period} 不是 1950 年至今的月份",
        "period {period}: not a month between 1950 and now (YYYYMM)",
    ),
    RefusalCode.PERIOD_TWICE: ("{period}：同一月份列出两次", "period {period}: listed twice"),
    RefusalCode.WAITING_MONTH_BASE: (
        "{period}：等待期月份没有缴费基数",
        "period {period}: waiting months carry no contribution base",
    ),
    RefusalCode.BASE_NOT_POSITIVE: (
        "{period}：缴费基数必须大于零",
        "period {period}: contribution base must be positive",
    ),
    RefusalCode.MONTH_RECORDED: (
        "{period}：该月份已有{scheme:term}缴费记录（缴于 {paid_in:place}）",
        "{period}: a {scheme:term} month already recorded (paid in {paid_in:place})",
    ),
    RefusalCode.DRAWS_PENSION: (
        "此人已领取养老金，不再缴费（第 2 条）",
        "the person already draws a pension: no further contributions (art. 2)",
    ),
    RefusalCode.UNTRANSLATED: ("此行无法使用：{text}", "{text}"),
    RefusalCode.NOT_LOGGED_IN: (
        "请先登录（POST /api/v1/auth/login 取得令牌，以 Authorization: Bearer 发送）",
        "log in first: send 'Authorization: Bearer <token>' from POST /api/v1/auth/login",
    ),
    RefusalCode.WRONG_LOGIN: ("用户名或密码错误", "wrong user name or password"),
    RefusalCode.ACCOUNT_GONE: (
        "此令牌的账户已不存在或已停用",
        "the account of this token no longer exists or is disabled",
    ),
    RefusalCode.TOKEN_NAMES_NO_USER: ("访问令牌未指明用户", "the access token names no user"),
    RefusalCode.TOKEN_EXPIRED: ("访问令牌已过期：请重新登录", "the access token has expired; log in again"),
    RefusalCode.TOKEN_INVALID: ("访问令牌无效", "the access token is not valid"),
    RefusalCode.TOO_MANY_LOGINS: (
        "登录失败次数过多，请 {seconds} 秒后再试",
        "too many failed logins; try again in {seconds} seconds",
    ),
    RefusalCode.ROLE_MAY_NOT: (
        "{role:role}角色无权办理此项业务（可办理：{allowed:role}）",
        "role {role:role} may not do this (allowed: {allowed:role})",
    ),
    RefusalCode.ROLE_MAY_NOT_APPLY: ("{role:role}角色不能提交申请", "role {role:role} may not submit applications"),
    RefusalCode.ROLE_MAY_NOT_RECORDS: (
        "{role:role}角色不能查看或更改居民记录",
        "role {role:role} may not list or change residents' records",
    ),
    RefusalCode.REGION_OUTSIDE: (
        "{region:place} 不在您的辖区（{scopes:place}）内",
        "region {region:place} is outside your jurisdiction ({scopes:place})",
    ),
    RefusalCode.AGGREGATES_ONLY: (
        "{role:role}角色只能查看汇总数据，不能查看个人记录",
        "role {role:role} sees aggregate figures only, not personal records",
    ),
    RefusalCode.OWN_RECORD_ONLY: ("居民只能查看本人的记录", "a resident may see only their own record"),
    RefusalCode.NO_PERSON_WITH_KEY: (
        "登记系统中没有此居民（请检查链接或重新搜索）",
        "no such resident in the registry (check the link or search again)",
    ),
    RefusalCode.NOT_INSURED_THERE: (
        "{on} 此人在 {insured:place} 参保，不在 {region:place}：{region:place} 的医保基金不为其支付",
        "on {on} this person is insured in {insured:place}, not in {region:place}: its medical fund does not pay "
        "for them",
    ),
    RefusalCode.NO_INSURANCE_MONTHS: (
        "{on} 此人没有医保缴费月份，不在 {region:place} 参保：{region:place} 的医保基金不为其支付",
        "on {on} this person has no medical insurance months, not in {region:place}: its medical fund does not pay "
        "for them",
    ),
    RefusalCode.ROWS_OUTSIDE: (
        "文件第 {first} 行等 {count} 行的地区不属于您的辖区：第 {lines} 行（{regions:place}）",
        "{count} row(s) from row {first} on are outside your jurisdiction: row {lines} ({regions:place})",
    ),
    RefusalCode.RESIDENT_ACTS_FOR_OWN: (
        "居民只能办理本人或未成年子女的申请",
        "a resident may act on their own or their minor children's applications only",
    ),
    RefusalCode.APPLICATION_REGION_OUTSIDE: (
        "申请所在地 {region:place} 不在您的辖区内",
        "the application's region {region:place} is outside your jurisdiction",
    ),
    RefusalCode.RESIDENT_APPLIES_FOR_OWN: (
        "居民只能为本人或未成年子女申请",
        "a resident may apply for themself or a linked minor child only",
    ),
    RefusalCode.GUARDIAN_KINDS_ONLY: (
        "监护人只能为子女申请：{kinds_zh}",
        "a parent may apply on a child's behalf only for: {kinds_en}",
    ),
    RefusalCode.RESIDENT_SEES_OWN_APPLICATIONS: (
        "居民只能查看本人及未成年子女的申请",
        "a resident sees their own and their minor children's applications only",
    ),
    RefusalCode.PASSWORD_CHANGE_FIRST: (
        "请先在“修改密码”页设置自己的密码，再办理其他业务",
        "set your own password first, on the Change password page; then the rest opens",
    ),
    RefusalCode.PASSWORD_TOO_SHORT: ("密码至少需要 {limit} 个字符", "password must have at least {limit} characters"),
    RefusalCode.PASSWORD_IS_USER_NAME: ("新密码不能与用户名相同", "the new password must not be the user name"),
    RefusalCode.PASSWORD_UNCHANGED: ("新密码不能与当前密码相同", "the new password must differ from the current one"),
    RefusalCode.CURRENT_PASSWORD_WRONG: ("当前密码不正确", "the current password is wrong"),
    RefusalCode.NO_ACCOUNT: ("没有名为 {username} 的账户", "no account named {username}"),
    RefusalCode.NO_ACCOUNT_IN_JURISDICTION: (
        "您的辖区内没有名为 {username} 的账户",
        "no account named {username} within your jurisdiction",
    ),
    RefusalCode.JURISDICTION_NOT_INSIDE: (
        "{region:place} 不在您的辖区（{scopes:place}）之内",
        "jurisdiction {region:place} is not inside yours ({scopes:place})",
    ),
    RefusalCode.NO_PERSON_IN_JURISDICTION: (
        "您的辖区（{scopes:place}）内没有人员 {person_id}",
        "no person {person_id} lives in your jurisdiction ({scopes:place})",
    ),
    RefusalCode.ALREADY_HAS_LOGIN: ("人员 {person_id} 已有居民账户", "person {person_id} already has a resident login"),
    RefusalCode.OWN_ACCOUNT_UNCHANGED: (
        "管理员不能停用、降级或更改本人账户的辖区",
        "an administrator does not disable, demote or re-scope their own account",
    ),
    RefusalCode.USER_NAME_FORM: (
        "用户名 {username} 须为 3 至 64 个字母、数字或 _ . @ -",
        "user name {username} must be 3-64 letters, digits or _ . @ -",
    ),
    RefusalCode.RESIDENT_NEEDS_PERSON: (
        "居民账户须指明所属人员",
        "a resident account needs the person id it belongs to",
    ),
    RefusalCode.RESIDENT_HAS_NO_JURISDICTION: (
        "居民账户没有辖区：只能查看本人的记录",
        "a resident account has no jurisdiction: it sees its own record only",
    ),
    RefusalCode.STAFF_NEEDS_JURISDICTION: (
        "{role:role}账户至少需要一个辖区（地区代码，或 000000 表示全国）",
        "a {role:role} account needs at least one jurisdiction (region code or 000000)",
    ),
    RefusalCode.ONLY_RESIDENT_HAS_PERSON: ("只有居民账户才关联人员", "only a resident account is tied to a person"),
    RefusalCode.ROLE_KIND_FIXED: (
        "居民账户不能改为工作人员账户，工作人员账户也不能改为居民账户",
        "a resident login stays a resident login, and a staff account stays staff",
    ),
    RefusalCode.TOO_MANY_TO_SORT: (
        "按姓名排序最多 {limit} 人，本次 {total} 人：请先缩小范围",
        "sorting by name is limited to {limit} residents ({total} match): narrow the search first",
    ),
    RefusalCode.TOO_MANY_RUNS: (
        "已有 {waiting} 个测算在排队或运行：请待其中一个完成后再试",
        "{waiting} runs are queued or running; try again when one has finished",
    ),
    RefusalCode.NO_SCENARIO_RUN: ("没有编号为 {run_id} 的测算", "no scenario run {run_id}"),
    RefusalCode.RUN_NOT_DONE: (
        "测算 {run_id} 状态为{status:term}：完成后才有结果",
        "run {run_id} is {status:term}; its results come when it is done",
    ),
    RefusalCode.SCENARIO_OUTSIDE: (
        "该方案更改了 {outside:place} 的参数，不在您的辖区（{scopes:place}）内；000000 表示所有地区",
        "the scenario changes parameters of {outside:place}, outside your jurisdiction ({scopes:place}); "
        "000000 means every region",
    ),
    RefusalCode.NO_SAVED_SCENARIO: ("没有名为 {name} 的已保存方案", "no saved scenario named {name}"),
    RefusalCode.NO_SCENARIO: (
        "没有名为 {name} 的方案：可用的方案列在“改革模拟”页上",
        "no scenario named {name}: the available scenarios are listed on the Reforms page",
    ),
    RefusalCode.SCENARIO_EXISTS: (
        "名为 {name} 的方案已存在：请换一个名称，或在“改革模拟”页打开该方案后修改",
        "a scenario named {name} exists: choose another name, or open that scenario on the Reforms page and change it",
    ),
    RefusalCode.IDEMPOTENCY_KEY_REUSED: (
        "幂等键 {key} 已用于另一个请求",
        "idempotency key {key} was already used for another request",
    ),
    RefusalCode.IDEMPOTENCY_KEY_BUSY: (
        "幂等键 {key} 正被另一个同时进行的请求使用：请重试",
        "idempotency key {key} is being used by a concurrent request; retry",
    ),
    RefusalCode.MAKER_CANNOT_CHECK: (
        "提出请求的用户不能审核自己的请求：须由另一名用户审核（双人复核）",
        "the user who made a request cannot approve it: another user must (maker–checker)",
    ),
    RefusalCode.HELD_MOVE_STALE: (
        "此人已不居住在 {region:place}：待审的迁移已过时，请驳回",
        "the person no longer lives in {region:place}: the held move is out of date; reject it",
    ),
    RefusalCode.NO_HELD_ITEM: ("没有编号为 {approval_id} 的待审事项", "no held item {approval_id}"),
    RefusalCode.HELD_ITEM_DECIDED: (
        "待审事项 {approval_id} 已由 {checker} 处理（{status:term}）",
        "held item {approval_id} was already {status:term} by {checker}",
    ),
    RefusalCode.HELD_ITEM_RACE: (
        "待审事项 {approval_id} 已同时由他人处理",
        "held item {approval_id} was decided by someone else at the same time",
    ),
    RefusalCode.TRANSFER_APPLIED_ELSEWHERE: (
        "接续申请须在此人现居住地（{residence:place}）提出，而不是 {region:place}",
        "an application to take over records is made where the person lives ({residence:place}), not in {region:place}",
    ),
    RefusalCode.NO_TRANSFER: ("没有编号为 {transfer_no} 的转移接续申请", "no transfer application {transfer_no}"),
    RefusalCode.TRANSFER_RELEASED_BY: (
        "转移接续 {transfer_no} 由 {region:place} 转出：只能由其工作人员办结",
        "transfer {transfer_no} is released by {region:place}: only its staff complete it",
    ),
    RefusalCode.VOUCHER_ISSUER_OUTSIDE: (
        "{region:place} 只为本地户籍人口和常住居民出资发放券",
        "{region:place} funds vouchers for its hukou holders and residents only",
    ),
    RefusalCode.NO_PERMIT: ("没有编号为 {permit_no} 的居住证", "no residence permit {permit_no}"),
    RefusalCode.NO_REGION: ("没有代码为 {code} 的地区", "no region has code {code}"),
    RefusalCode.REGION_CODE_FORM: (
        "地区代码 {code} 不是六位 GB/T 2260 代码",
        "region code {code} is not a six-digit GB/T 2260 code",
    ),
    RefusalCode.NO_FISCAL_SCHEME: (
        "没有名为 {scheme_id} 的财政方案（可选：{known}）",
        "no fiscal scheme {scheme_id} (schemes: {known})",
    ),
    RefusalCode.PERSON_REGION_OUTSIDE: (
        "第 {number} 人的常住地 {region:place} 不在您的辖区内",
        "person {number}'s place of residence {region:place} is outside your jurisdiction",
    ),
    RefusalCode.PEOPLE_NOT_DATES: (
        "第 {rows} 人的“{column_zh}”不是日期（请写作 YYYY-MM-DD，如 2026-06-01）",
        "person {rows}: {column_en} is not a date (write it as YYYY-MM-DD, e.g. 2026-06-01)",
    ),
    RefusalCode.NO_INSTANCE_REGION: (
        "本实例未设置 CHANGZHU_INSTANCE_REGION：不能参与跨省通办",
        "this instance has no CHANGZHU_INSTANCE_REGION: it cannot take part in 跨省通办",
    ),
    RefusalCode.CITY_OUTSIDE_DESTINATION: (
        "迁入城市 {city:place} 不在迁入地 {region:place} 内",
        "destination city {city:place} is not in the destination region {region:place}",
    ),
    RefusalCode.NOTHING_TO_TRANSFER: (
        "{region:place} 没有此人的学籍或缴费记录：无可转移",
        "{region:place} holds no school or contribution record of this person: nothing to transfer",
    ),
    RefusalCode.USER_NAME_TAKEN: ("用户名 {username} 已被占用", "user name {username} is already taken"),
    RefusalCode.NOT_A_JURISDICTION: (
        "辖区 {code} 既不是 000000（全国）也不是地区代码",
        "jurisdiction {code} is neither 000000 (national) nor a region code",
    ),
    RefusalCode.MESSAGE_PURGED: (
        "报文 {message_id}：内容已在送达或冲正后清除",
        "message {message_id}: its payload was purged after delivery or reversal",
    ),
    RefusalCode.NOT_A_PEER: (
        "{region:place} 不是本实例登记的对端",
        "region {region:place} is not a registered peer of this instance",
    ),
    RefusalCode.NO_OUTGOING_MESSAGE: ("没有编号为 {message_id} 的发出报文", "no outgoing message {message_id}"),
    RefusalCode.NO_LONGER_A_PEER: (
        "报文 {message_id}：{region:place} 已不是登记的对端",
        "message {message_id}: region {region:place} is no longer a registered peer",
    ),
    RefusalCode.REVERSE_OR_RESEND: (
        "操作 {action}：请选择冲正或重发",
        "action {action}: use reverse or resend",
    ),
    RefusalCode.MESSAGE_NOT_DISPUTED: (
        "报文 {message_id} 状态为{status:term}，不是有争议状态",
        "message {message_id} is {status:term}, not disputed",
    ),
    RefusalCode.LOGIN_HAS_NO_PERSON: ("此账户不属于任何登记人员", "this login belongs to no registered person"),
    RefusalCode.UNKNOWN_FILE_FORMAT: (
        "文件格式未知：{suffix}；可用格式：{known}",
        "unknown file format {suffix}; give one of {known}",
    ),
    RefusalCode.FILE_UNREADABLE: ("文件无法读取：{detail}", "{detail}"),
    RefusalCode.FILE_HEADER_WRONG: (
        "文件的表头（第 {line} 行）有误，未导入任何数据：{problems_zh}",
        "The header (row {line}) is wrong, nothing imported: {problems_en}",
    ),
    RefusalCode.FILE_ROWS_WRONG: (
        "文件有 {bad} 行有误，未导入任何数据",
        "rows with errors: {bad} of {rows}, nothing imported",
    ),
    RefusalCode.OPERATOR_NO_ACCOUNT: (
        "没有名为 {username} 的账户：运维命令须以已有用户的身份执行",
        "no account named {username}: an operator command acts as an existing user",
    ),
    RefusalCode.NO_APPLICATION: ("没有编号为 {application_id} 的申请", "no application number {application_id}"),
    RefusalCode.APPEAL_NEEDS_REASON: (
        "申请复议须说明理由：请写明您认为决定哪里有误",
        "an appeal needs a reason: say what you think the decision got wrong",
    ),
    RefusalCode.STEP_NOT_ALLOWED: (
        "申请当前为「{status_zh}」，不能「{action_zh}」（可进行：{allowed_zh}）",
        "an application that is {status_en} does not allow the step {action_en} (allowed: {allowed_en})",
    ),
    RefusalCode.NO_POINTS_SCHEME: (
        "{region:place} 没有积分办法，无法排名",
        "{region:place} has no points scheme to rank by",
    ),
    RefusalCode.NO_ANNUAL_QUOTA: (
        "{region:place} 未规定年度积分落户指标（参数 {parameter}），请在请求中给出 quota",
        "{region:place} declares no annual quota ({parameter}): give quota in the request",
    ),
    RefusalCode.NO_QUOTA_RUN: ("没有编号为 {run_id} 的排名", "no quota run number {run_id}"),
    RefusalCode.NOT_A_SYNTHETIC_CITY: (
        "{region:place} 不是可生成合成人口的地级市",
        "{region:place} is not a prefecture of the synthetic population",
    ),
    RefusalCode.CAPACITY_REQUIRED: (
        "积分入学须给出各学区学位数（capacity）",
        "a school-place run needs capacity per district",
    ),
    RefusalCode.NOT_A_STORED_ATTRIBUTE: (
        "{name} 不是登记系统按原样保存的人员表字段",
        "attribute {name} is not a person-table column the registry stores as given",
    ),
    RefusalCode.NO_PERMIT_RULE: (
        "{on} 没有生效的居住证规定（{parameter}）",
        "no residence-permit rule in force on {on} ({parameter})",
    ),
    RefusalCode.PERMIT_TOO_EARLY: (
        "申领居住证须在 {region:place} 居住满 {needed} 个月；截至 {on} 为 {lived} 个月",
        "residence permit needs {needed} months of residence in {region:place}; {lived} months on {on}",
    ),
    RefusalCode.PERMIT_HELD: (
        "此人在本地已持有有效居住证：请办理续签",
        "the person already holds a valid residence permit here: renew it instead",
    ),
    RefusalCode.PERMIT_HOLDER_MOVED: (
        "持证人已不居住在 {region:place}：请在现居住地申领居住证",
        "the holder no longer lives in {region:place}; apply for a permit where they live",
    ),
    RefusalCode.PERMIT_RENEWED: ("居住证 {permit_no} 已续签", "permit {permit_no} has already been renewed"),
    RefusalCode.ALREADY_LIVES_THERE: ("此人已居住在 {region:place}", "the person already lives in {region:place}"),
    RefusalCode.MOVE_BEFORE_RESIDENCE: (
        "迁入日期 {on} 早于在 {region:place} 开始居住的日期",
        "the moving date {on} is before residence in {region:place} began",
    ),
    RefusalCode.PARENT_BORN_AFTER: ("父母的出生日期须早于子女", "the parent must be born before the child"),
    RefusalCode.ALREADY_LINKED: ("该父母与子女已经关联", "this parent and child are already linked"),
    RefusalCode.TWO_PARENTS_LINKED: ("该子女已关联两位父母", "the child already has two linked parents"),
    RefusalCode.HUKOU_ALREADY_THERE: (
        "户籍已在常住地 {region:place}",
        "the hukou is already in the place of residence {region:place}",
    ),
    RefusalCode.SETTLE_BEFORE_RESIDENCE: (
        "落户日期 {on} 早于在 {region:place} 开始居住的日期",
        "the settling date {on} is before residence in {region:place} began",
    ),
    RefusalCode.REGION_CODE_FORM_OF: (
        "{field}：地区代码 {code} 不是六位 GB/T 2260 代码",
        "{field}: region code {code} is not a six-digit GB/T 2260 code",
    ),
    RefusalCode.VOUCHER_REDEEMED: ("服务券 {voucher_no} 已兑付", "voucher {voucher_no} was already redeemed"),
    RefusalCode.VOUCHER_VALUE_NOT_POSITIVE: ("面值必须大于零", "value must be positive"),
    RefusalCode.VOUCHER_EXPIRES_BEFORE_ISSUE: (
        "有效期截止日须晚于发放日",
        "the expiry date must be after the issue date",
    ),
    RefusalCode.VOUCHER_SERVICE_REQUIRED: ("须填写服务名称", "service: a service name is required"),
    RefusalCode.NO_VOUCHER: ("没有编号为 {voucher_no} 的服务券", "no voucher {voucher_no}"),
    RefusalCode.VOUCHER_REDEEMED_ON: (
        "服务券 {voucher_no} 已于 {on} 兑付",
        "voucher {voucher_no} was already redeemed on {on}",
    ),
    RefusalCode.VOUCHER_EXPIRED: ("服务券 {voucher_no} 已于 {on} 过期", "voucher {voucher_no} expired on {on}"),
    RefusalCode.VOUCHER_PROVIDER_ELSEWHERE: (
        "持券人居住在 {region:place}；{provider:place} 的服务机构不能兑付此券",
        "the holder lives in {region:place}; a provider in {provider:place} cannot redeem this voucher",
    ),
    RefusalCode.TRANSFER_SAME_PLACE: (
        "转出地与转入地相同",
        "the region transferring out and the region taking in are the same",
    ),
    RefusalCode.NOTHING_HELD: (
        "{region:place} 没有此人的{scheme:term}记录",
        "{region:place} holds no {scheme:term} record of this person",
    ),
    RefusalCode.DRAWS_PENSION_NO_TRANSFER: (
        "此人已领取养老金：不再转移（第 2 条）",
        "the person already draws a pension: no transfer (art. 2)",
    ),
    RefusalCode.TEMPORARY_ACCOUNT_THERE: (
        "{region:place} 持有临时缴费账户（第 5 条）：关系保留在原地，回户籍地或待遇领取地时归集",
        "{region:place} holds a temporary account (art. 5): the relationship stays in place and is consolidated on "
        "return to the hukou place or where the pension is drawn",
    ),
    RefusalCode.TRANSFER_NOT_WAITING: (
        "转移接续 {transfer_no} 状态为{status:term}，不在待办结状态",
        "transfer {transfer_no} is {status:term}, not waiting to be completed",
    ),
    RefusalCode.NO_PENSION_CONTRIBUTIONS: ("此人没有养老保险缴费记录", "the person has no pension contributions"),
    RefusalCode.DRAWING_PLACE_DECIDED: (
        "待遇领取地已确定：{region:place}",
        "the drawing place is already decided: {region:place}",
    ),
    RefusalCode.OVER_BUDGET: (
        "{region:place} {year} 年{kind:term}预算为 {limit} 元（{source_zh}）；已用 {used} 元，剩余 {left} 元，"
        "本项需 {needed} 元",
        "{region:place}'s {kind:term} budget for {year} is {limit} yuan ({source_en}); {used} yuan are used, "
        "{left} yuan are left, this item needs {needed} yuan",
    ),
    RefusalCode.OVER_LIMIT: (
        "{what:term}金额 {amount} 元，超过 {region:place} 每项 {limit} 元的上限（{source_zh}）",
        "{what:term} of {amount} yuan is above the limit of {limit} yuan per item in {region:place} ({source_en})",
    ),
    RefusalCode.NO_MONTHS_GIVEN: ("没有要记录的月份", "no months to record"),
    RefusalCode.GRADE_RANGE: (
        "年级 {grade}：须为 1 至 12（小学至高中）",
        "grade {grade}: must be 1 to 12 (primary to senior secondary)",
    ),
    RefusalCode.SCHOOL_REQUIRED: ("须填写学校名称", "school: a school name is required"),
    RefusalCode.SCHOOL_YEAR_BEFORE_BIRTH: (
        "学年 {school_year}：该儿童出生于 {born} 年",
        "school year {school_year}: the child was born in {born}",
    ),
    RefusalCode.SCHOOL_YEAR_RECORDED: (
        "学年 {school_year} 已有记录",
        "school year {school_year} is already in the record",
    ),
    RefusalCode.FILING_SAME_PROVINCE: (
        "异地就医备案须为参保地以外省份的就医",
        "filing is for treatment in another province than the insured place",
    ),
    RefusalCode.FILING_LOCKED: (
        "{on} 办理的长期备案在 {months} 个月内不能变更",
        "a long-term filing made on {on} cannot be changed within {months} months",
    ),
    RefusalCode.BILL_EMPTY: (
        "费用清单至少须有一项，且每项金额大于零",
        "bill: at least one item, every amount positive",
    ),
    RefusalCode.NO_MEDICAL_POLICY: (
        "参保地 {region:place} 没有登记跨省就医政策",
        "no cross-province policy recorded for the insured place {region:place}",
    ),
    RefusalCode.NO_CATALOGUE: (
        "就医地 {region:place} 没有登记医保目录",
        "no catalogue recorded for the treatment place {region:place}",
    ),
    RefusalCode.FACT_REFUSED: ("事实 {fact_zh}：{reason_zh}", "fact {fact_en}: {reason_en}"),
    RefusalCode.REQUEST_INVALID: ("请求内容有误：{fields}", "{fields}"),
    RefusalCode.FIELD_NOT_ALLOWED: ("不接受此项", "not a field of this request"),
    RefusalCode.VALUE_INVALID: ("取值无效：{detail}", "{detail}"),
    RefusalCode.NO_SUCH_PATH: ("没有此地址", "Not Found"),
    RefusalCode.METHOD_NOT_ALLOWED: ("此地址不支持该操作", "Method Not Allowed"),
    RefusalCode.BODY_TOO_LARGE: ("请求内容过大：最多 {limit} 字节", "request body is larger than {limit} bytes"),
    RefusalCode.DATABASE_TIMEOUT: (
        "数据库未能及时应答（语句超时 {statement_ms} 毫秒，连接超时 {connect_s} 秒）；请求未完成：请重试"
        "（写入请使用同一幂等键）；事件编号 {incident}",
        "the database did not answer in time (statement timeout {statement_ms} ms, connect timeout {connect_s} s); "
        "the request did not complete: retry it (writes with the same idempotency key); incident {incident}",
    ),
    RefusalCode.DATABASE_UNAVAILABLE: (
        "数据库不可用；事件编号 {incident}",
        "the database is unavailable; incident {incident}",
    ),
    RefusalCode.VALUE_DOES_NOT_FIT: (
        "有数值超出数据库的限制（过长或超出范围）；事件编号 {incident}",
        "a value does not fit the database (too long or out of range); incident {incident}",
    ),
    RefusalCode.INTERNAL: (
        "内部错误；运维人员可在日志中查到事件编号 {incident}",
        "internal error; the operator can find incident {incident} in the log",
    ),
    RefusalCode.IN_TWO_LANGUAGES: ("{text_zh}", "{text_en}"),
    RefusalCode.UNCODED: ("操作未能完成：{text}", "{text}"),
    # a reform scenario and its simulation settings
    RefusalCode.PARAMETER_NOT_BOOL: ("须为 true 或 false，实为 {value}", "needs true or false, got {value}"),
    RefusalCode.PARAMETER_NOT_NUMBER: ("须为数值{in_unit_zh}，实为 {value}", "needs a number{in_unit_en}, got {value}"),
    RefusalCode.PARAMETER_NEGATIVE: (
        "不能为负数{in_unit_zh}，实为 {value}",
        "cannot be negative{in_unit_en}, got {value}",
    ),
    RefusalCode.SCENARIO_UNKNOWN_PARAMETER: (
        "情景 {scenario}：没有名为 {parameter} 的参数",
        "scenario {scenario}: unknown parameter {parameter}; see `changzhu check --list-parameters`",
    ),
    RefusalCode.SCENARIO_PARAMETER_VALUE: (
        "情景 {scenario}：参数“{parameter_zh}”{why_zh}",
        'scenario {scenario}: "{parameter_en}" {why_en}',
    ),
    RefusalCode.SCENARIO_OVERRIDE_REGION: (
        "情景 {scenario}：参数 {parameter} 的地区有误：{why_zh}",
        "scenario {scenario}: {parameter}: {why_en}",
    ),
    RefusalCode.SCENARIO_REGION_NOT_MAPPING: (
        "情景 {scenario}：{region:place} 之下须为“参数: 取值”的映射",
        "scenario {scenario}: {region:place}: expected a mapping of parameter: value",
    ),
    RefusalCode.SCENARIO_OVERRIDE_FIELDS: (
        "情景 {scenario}：参数 {parameter} 须给出 value（可另给 since、jurisdiction）",
        "scenario {scenario}: {parameter}: give value (and optionally since, jurisdiction)",
    ),
    RefusalCode.SCENARIO_SINCE_NOT_DATE: (
        "情景 {scenario}：参数 {parameter} 的起始日期 {since} 不是日期",
        "scenario {scenario}: {parameter}: since {since} is not a date",
    ),
    RefusalCode.SCENARIO_NEEDS_OVERRIDES: (
        "情景 {file}：须为含 overrides 一项的映射",
        "scenario {file}: needs a mapping with an 'overrides' field",
    ),
    RefusalCode.SCENARIO_OVERRIDE_ITEM: (
        "情景 {file}：overrides 第 {index} 项须给出 parameter 和 value",
        "scenario {file}: overrides[{index}] needs parameter and value",
    ),
    RefusalCode.SCENARIO_OVERRIDES_FORM: (
        "情景 {file}：overrides 须为列表或映射",
        "scenario {file}: overrides must be a list or a mapping",
    ),
    RefusalCode.SCENARIO_NOT_YAML: ("不是有效的 YAML：{detail}", "not valid YAML: {detail}"),
    RefusalCode.SCENARIO_NOT_A_MAPPING: (
        "情景须为 YAML 映射，含 name、description、overrides",
        "a scenario is a YAML mapping with name, description, overrides",
    ),
    RefusalCode.SCENARIO_NAME_FORM: (
        "情景名称 {name}：只能用小写字母、数字、_ 或 -（最多 80 个）",
        "scenario name {name}: use lower-case letters, digits, '_' or '-' (at most 80)",
    ),
    RefusalCode.SCENARIO_RENAMED: (
        "YAML 中的情景名称为 {named}；修改时名称须保持为 {name}",
        "the YAML names scenario {named}; an update keeps the name {name}",
    ),
    RefusalCode.SCENARIO_OR_OVERRIDES: (
        "请只给出情景名称（scenario）或参数取值（overrides）之一",
        "give either scenario (a name) or overrides, not both",
    ),
    RefusalCode.SCENARIO_NEEDS_NAME: ("按各项给出的情景须有名称", "a scenario given by its fields needs a name"),
    RefusalCode.REFORMS_DISAGREE: (
        "改革方案 {name} 对 {parameter} 的设定与另一方案不同；各方案共用同一人口",
        "reform {name} sets {parameter} differently from another reform; the population is one for all reforms",
    ),
    RefusalCode.REFORM_NAME_TAKEN: (
        "{file}：改革方案名称 {name} 为保留名称或已被使用",
        "{file}: reform name {name} is reserved or used twice",
    ),
    RefusalCode.SIMULATION_NOT_A_MAPPING: ("{file}：simulation 须为映射", "{file}: 'simulation' must be a mapping"),
    RefusalCode.SIMULATION_NOT_A_SETTING: (
        "{file}：simulation.{key} 不是可设定项（{allowed}）",
        "{file}: simulation.{key} is not a setting ({allowed})",
    ),
    RefusalCode.SIMULATION_SETTING_DIFFERS: (
        "{file}：simulation.{key} 与第一个文件不同",
        "{file}: simulation.{key} differs from the first file's",
    ),
    RefusalCode.SIMULATION_SAMPLE_FORM: (
        "{file}：simulation.sample 须为数值，simulation.seed 须为整数",
        "{file}: simulation.sample must be a number and simulation.seed a whole number",
    ),
    RefusalCode.SIMULATION_SAMPLE_RANGE: (
        "{file}：simulation.sample 须大于 0 且不超过 1，实为 {sample}",
        "{file}: simulation.sample must be in (0, 1], got {sample}",
    ),
    RefusalCode.SIMULATION_YEARS_FORM: (
        "{file}：years 须为年份或年份列表",
        "{file}: 'years' must be a year or a list of years",
    ),
    RefusalCode.SIMULATION_YEARS_RANGE: (
        "{file}：years 须为 2000 至 2100 之间互不相同、依次递增的年份",
        "{file}: 'years' must be distinct increasing years between 2000 and 2100",
    ),
    RefusalCode.SIMULATION_DAY_FORM: (
        "{file}：evaluation_day 须为 MM-DD，实为 {value}",
        "{file}: 'evaluation_day' must be MM-DD, got {value}",
    ),
    RefusalCode.SIMULATION_SERVICES_FORM: (
        "{file}：simulation.services 须为服务名称的列表",
        "{file}: simulation.services must be a list of service names",
    ),
    # a person's attributes
    RefusalCode.ATTRIBUTE_REFUSED: ("属性 {name}：{why_zh}", "attribute {name}: {why_en}"),
    RefusalCode.ATTRIBUTE_TOO_MANY_DATES: (
        "属性 {name}：最多保存 {limit} 个日期",
        "attribute {name}: at most {limit} dates are kept",
    ),
    RefusalCode.ATTRIBUTE_NOT_OF_TYPE: (
        "属性 {name}：{value} 不是{dtype:term}",
        "attribute {name}: {value} is not a {dtype:term}",
    ),
    # the fiscal parameters: a bad value names its parameter by its label ({parameter_zh}, {parameter_en}; the error
    # adds the file and line it was given in: fiscal/parameter_places.py); the schemes file's structure by {where}
    RefusalCode.FISCAL_NOT_A_MAPPING: ("财政参数 {where} 须为映射", "{where} must be a mapping"),
    RefusalCode.FISCAL_MISSING: ("财政参数 {where}.{key} 缺失", "{where}.{key} is missing"),
    RefusalCode.FISCAL_NOT_A_NUMBER: (
        "财政参数“{parameter_zh}”须为有限数值，实为 {value}",
        'the fiscal parameter "{parameter_en}" must be a finite number, got {value}',
    ),
    RefusalCode.FISCAL_NEGATIVE: (
        "财政参数“{parameter_zh}”不能为负数，实为 {value}",
        'the fiscal parameter "{parameter_en}" must not be negative, got {value}',
    ),
    RefusalCode.FISCAL_NOT_A_SHARE: (
        "财政参数“{parameter_zh}”须在 0 与 1 之间（5% 写作 0.05），实为 {value}",
        'the fiscal parameter "{parameter_en}" must be between 0 and 1 (5% is 0.05), got {value}',
    ),
    RefusalCode.FISCAL_FUND_NEGATIVE: (
        "财政参数“{parameter_zh}”不能为负数（资金 {value} 元）",
        'the fiscal parameter "{parameter_en}" must not be negative (a fund of {value} yuan)',
    ),
    RefusalCode.FISCAL_FUND_NOT_WHOLE: (
        "财政参数“{parameter_zh}”须为整元，实为 {value}",
        'the fiscal parameter "{parameter_en}" must be whole yuan, got {value}',
    ),
    RefusalCode.FISCAL_SHARES_FORM: ("财政参数 {where} 须为 {keys} 的映射", "{where} must be a mapping of {keys}"),
    RefusalCode.FISCAL_SHARES_UNKNOWN: ("财政参数 {where} 有未知项 {unknown}", "{where} has unknown key(s) {unknown}"),
    RefusalCode.FISCAL_SHARES_SUM: (
        "财政参数{shares_zh} 之和为 {total}，而非 1：请同时调整其中另一项",
        "the fiscal parameters {shares_en} sum to {total}, not 1: change another of them too",
    ),
    RefusalCode.FISCAL_CAPACITY_FACTORS: (
        "财政参数“{min_zh}”须大于 0 且不大于“{max_zh}”，实为 {min_factor} 与 {max_factor}",
        'the fiscal parameter "{min_en}" must be above 0 and at most "{max_en}", got {min_factor} and {max_factor}',
    ),
    RefusalCode.FISCAL_RATIO_BELOW_ONE: (
        "财政参数“{parameter_zh}”须至少为 1，实为 {ratio}",
        'the fiscal parameter "{parameter_en}" must be at least 1, got {ratio}',
    ),
    RefusalCode.FISCAL_SERVICE_WEIGHTS_FORM: (
        "财政参数 {where} 的服务权重须为映射，且含 {default} 一项",
        "{where}.service_weights must be a mapping with a '{default}' entry",
    ),
    RefusalCode.FISCAL_COST_SHARES_FORM: (
        "财政参数 {where} 须为各服务的分担份额映射，且含 {default} 一行",
        "{where} must be a mapping of service to shares with a '{default}' row",
    ),
    RefusalCode.FISCAL_EFFECTIVE_NOT_DATE: (
        "财政参数 {where} 的生效日期不是日期（YYYY-MM-DD）：{value}",
        "{where}.effective_from is not a date (YYYY-MM-DD): {value}",
    ),
    RefusalCode.NO_FISCAL_SCHEME_ON: (
        "{on} 没有生效的财政方案：最早的方案自 {earliest} 起",
        "no fiscal scheme is in force on {on}: the earliest starts {earliest}",
    ),
    # a request's field
    RefusalCode.GREATER_THAN: ("须大于 {limit}", "must be greater than {limit}"),
    RefusalCode.LESS_THAN: ("须小于 {limit}", "must be less than {limit}"),
    RefusalCode.TOO_SHORT: ("过短：至少 {limit} 个字符", "is shorter than allowed: at least {limit} characters"),
    RefusalCode.TOO_FEW_ITEMS: ("至少须有 {limit} 项", "needs at least {limit} items"),
    RefusalCode.TOO_MANY_ITEMS: ("最多 {limit} 项", "has more than {limit} items"),
    RefusalCode.PATTERN_MISMATCH: ("格式不符（{pattern}）", "does not match {pattern}"),
    RefusalCode.YAML_OR_FIELDS: (
        "请只给出 YAML 文本，或名称（name）与参数取值（overrides）之一",
        "give either yaml or name and overrides",
    ),
    RefusalCode.RUN_YEARS_RANGE: (
        "年份须为 2020 至 2035 之间互不相同、依次递增的年份",
        "years must be distinct increasing years between 2020 and 2035",
    ),
    # cross-province medical treatment
    RefusalCode.MEDICAL_POLICY_RANGE: (
        "政策：报销比例须为 0 至 1000‰，起付线和封顶线不能为负数",
        "policy: rate must be 0..1000 permille, deductible and cap non-negative",
    ),
    RefusalCode.MEDICAL_POLICY_SOURCE: (
        "政策：须注明依据（文件及日期）",
        "policy: a source (document and date) is required",
    ),
    RefusalCode.CATALOGUE_ITEM_FORM: (
        "目录项目 {code}：类别须为甲类、乙类或丙类，自付比例须为 0 至 1000‰",
        "catalogue item {code}: category must be A, B or C and self-pay 0..1000 permille",
    ),
    RefusalCode.CATALOGUE_CODE_TWICE: ("目录：有项目编码重复出现", "catalogue: an item code is listed twice"),
    RefusalCode.NO_FILING_RULE: (
        "{on} 没有生效的异地就医备案规则：{detail}",
        "no filing rule in force on {on}: {detail}",
    ),
    # a policy file, a policy test or a parameter file ({why_zh}/{why_en}: the reason, a code of its own)
    RefusalCode.FILE_REASON: ("文件 {file}：{why_zh}", "{file}: {why_en}"),
    RefusalCode.FILE_AT: ("{file} 中的 {where}：{why_zh}", "{file}: {where}: {why_en}"),
    RefusalCode.FILE_AT_LINE: ("{file} 第 {line} 行（{where}）：{why_zh}", "{file}: {where}: {why_en} (line {line})"),
    RefusalCode.FILE_LINE: ("{file} 第 {line} 行：{why_zh}", "{file}: line {line}: {why_en}"),
    RefusalCode.AT: ("{where} 处：{why_zh}", "{where}: {why_en}"),
    RefusalCode.POLICY_NOT_UTF8: ("不是 UTF-8 编码的文本（请另存为 UTF-8）", "is not UTF-8 text ({detail})"),
    RefusalCode.POLICY_YAML_SYNTAX: (
        "不是有效的 YAML（第 {column} 列）：{problem_zh}",
        "not valid YAML: {problem_en} (column {column})",
    ),
    RefusalCode.POLICY_NO_DIRECTORY: ("没有这个政策目录", "no such policy directory"),
    RefusalCode.POLICY_NO_NATIONAL: ("缺少全国基准文件 {path}", "no national baseline {path}"),
    RefusalCode.POLICY_NOT_A_MAPPING: ("须为映射（键: 值）", "must be a mapping"),
    RefusalCode.POLICY_MISSING_FIELD: ("缺少字段 {field}", "missing field '{field}'"),
    RefusalCode.POLICY_UNKNOWN_FIELDS: (
        "有未知字段 {unknown_zh}；可用的字段：{allowed_zh}",
        "unknown field(s) {unknown_en}; allowed: {allowed_en}",
    ),
    RefusalCode.POLICY_NOT_A_DATE: (
        "{value} 不是日期（请写作 YYYY-MM-DD，如 2024-01-01）",
        "{value} is not a date (YYYY-MM-DD)",
    ),
    RefusalCode.POLICY_DATE_WRITE_AS: (
        "{value} 不是 YYYY-MM-DD 格式的日期：请写作 {iso}",
        "{value} is not a date (YYYY-MM-DD): write {iso}",
    ),
    RefusalCode.POLICY_NOT_A_CODE: (
        "{value} 不是六位地区代码（文件名与 {field} 须为地区代码，如 310100）",
        "{value} is not a six-digit region code (the file name and {field} are region codes, e.g. 310100)",
    ),
    RefusalCode.POLICY_NOT_A_CODE_NEAR: (
        "{value} 不是地区代码：{name} 的代码是 {code}（文件名与 {field} 须为地区代码）",
        "{value} is not a region code: the code of {name} is {code} (the file name and {field} are region codes)",
    ),
    RefusalCode.POLICY_CODE_NOT_FILE_NAME: (
        "{code} 与文件名 {stem} 不一致",
        "{code} does not match the file name {stem}",
    ),
    RefusalCode.POLICY_UNKNOWN_AGGLOMERATION: (
        "{value} 不是已知的城市群代码：可选 {known_zh}",
        "{value} is not a known agglomeration: one of {known_en}",
    ),
    RefusalCode.POLICY_UNKNOWN_SIZE_CLASSES: (
        "未知的城市规模等级 {bad_zh}；可选：{known_zh}",
        "unknown city size classes {bad_en}; known: {known_en}",
    ),
    RefusalCode.POLICY_RECOGNISES: (
        "{bad_zh}：只能互认 {known_zh}",
        "{bad_en}: only {known_en} can be recognised",
    ),
    RefusalCode.POLICY_UNKNOWN_VARIABLE: (
        "未知的变量 {name}；已知的变量：{known_zh}",
        "unknown variable {name}; known: {known_en}",
    ),
    RefusalCode.POLICY_UNKNOWN_VARIABLE_NEAR: (
        "未知的变量 {name}；是否指 {near}？",
        "unknown variable {name}; did you mean {near}?",
    ),
    RefusalCode.POLICY_UNKNOWN_SERVICE: ("未知的服务 {name}；可选：{known}", "unknown service {name}; known: {known}"),
    RefusalCode.POLICY_LABEL_LANGUAGES: (
        "名称（label）有未知的语言 {unknown}：只能用 zh（中文）与 en（英文）",
        "label has unknown language(s) {unknown}; use zh and en",
    ),
    RefusalCode.POLICY_LABEL_BOTH: ("{what} 须同时有中文与英文：{form}", "{what} need {form}"),
    RefusalCode.POLICY_OP_FOR_KIND: (
        "{name} 的类型是 {kind}：op 须为 {ops} 之一",
        "{name} is a {kind}: op must be one of {ops}",
    ),
    RefusalCode.POLICY_ONE_OF_FIELDS: ("请只给出 {fields} 中的一项", "give exactly one of {fields}"),
    RefusalCode.POLICY_COUNT_FORM: ("请用 value: 或 param: 给出个数", "give the count as value: or param:"),
    RefusalCode.POLICY_CONDITION_KIND: ("条件须有且只有 {kinds} 中的一项", "a condition needs exactly one of {kinds}"),
    RefusalCode.POLICY_NOT_AMONG_CATEGORIES: (
        "{bad_zh} 不在 {name} 的类别之中：{known_zh}",
        "{bad_en} not among {name}'s categories: {known_en}",
    ),
    RefusalCode.POLICY_NOT_A_DURATION: (
        "{name} 不是时长或日期，请用 {fields}",
        "{name} is not a duration or a date; use {fields}",
    ),
    RefusalCode.POLICY_DATE_NEEDS_WINDOW: ("{name} 是日期：请给出 {fields}", "{name} is a date: give {fields}"),
    RefusalCode.POLICY_DATES_WINDOW: (
        "日期列表按距该日期 {fields} 之内的个数计算：请给出其中一项",
        "a list of dates counts those within {fields} of the date; give one",
    ),
    RefusalCode.POLICY_WITHIN_NO_VALUE: (
        "op {op} 只看时段内是否有日期；如要比较个数，请用 >= 与 value:",
        "op {op} counts any date in the window; compare a count with >= and value:",
    ),
    RefusalCode.POLICY_COUNT_NOT_A_NUMBER: ("个数 {value} 不是数字", "the count {value} is not a number"),
    RefusalCode.POLICY_NEEDS_LIST: ("{field} 须为非空列表", "{field} needs a non-empty list"),
    RefusalCode.POLICY_OF_SELF_OR_PARENT: (
        "of 须为 self 或 parent，实为 {value}",
        "of must be self or parent, not {value}",
    ),
    RefusalCode.POLICY_NOT_A_NUMBER_OR_PARAM: (
        "{value} 不是数字（也可写作 {form}，用参数的值）",
        "{value} is not a number (or {form})",
    ),
    RefusalCode.POLICY_DURATION_FORM: ("须为数字或 {form}，实为 {value}", "expected a number or {form}, not {value}"),
    RefusalCode.POLICY_NOT_A_WHOLE_NUMBER: (
        "{field} 须为不小于 0 的整数，实为 {value}",
        "{field} is a whole number of units (0 or more), not {value}",
    ),
    RefusalCode.POLICY_RATES_ORDER: ("rates 须从 from: 0 开始并逐项递增", "rates start at from: 0 and increase"),
    RefusalCode.POLICY_POINTS_MAP: ("points 须把类别代码对应到分值", "points must map category codes to points"),
    RefusalCode.POLICY_VARIABLE_KIND: (
        "{what} 须为 {kinds} 类型的变量，{name} 的类型是 {kind}",
        "{what} reads a {kinds} variable, {name} is a {kind}",
    ),
    RefusalCode.POLICY_FACTOR_NEGATIVE: ("{code} 的系数为负数", "factor of {code} is negative"),
    RefusalCode.POLICY_WHEN_CODES: (
        "when 须有 {count} 个代码（每个变量一个，* 表示任意）",
        "when needs {count} codes (one per variable, * for any)",
    ),
    RefusalCode.POLICY_COMBINATION: (
        "combination 须有两个或以上的类别（category）变量",
        "combination needs two or more category variables",
    ),
    RefusalCode.POLICY_WINDOW_IN_MONTHS: (
        "用参数给出的时段须以月计（{form}）",
        "a window given by a parameter is in months: ({form})",
    ),
    RefusalCode.POLICY_NOT_ONE_OF: (
        "{field} {value} 不是可选值之一：{allowed_zh}",
        "{field} {value} is not one of {allowed_en}",
    ),
    RefusalCode.POLICY_NAMES_REPEAT: ("指标名称重复：{names_zh}", "indicator names repeat: {names_en}"),
    RefusalCode.POLICY_UNMODELLED_TWICE: (
        "{name} 已是一项指标，或列出了两次",
        "{name} is already an indicator or listed twice",
    ),
    RefusalCode.POLICY_INPUT_NAME_FORM: (
        "输入项名称须为小写英文标识符（字母、数字、_，不以数字开头）",
        "an input name is a lower-case identifier (letters, digits, _)",
    ),
    RefusalCode.POLICY_INPUT_RESERVED: (
        "{name} 是核心列或变量，请另取名称（核心列在此只可写 {document} 与 {source}，即本地证明材料及其出处）",
        "{name} is a core column or variable; choose another name (a core column takes only {document} and {source}"
        " here, the city's own proving document and where it was read)",
    ),
    RefusalCode.POLICY_INPUT_NEEDS: ("缺少 {form}", "needs {form}"),
    RefusalCode.POLICY_INPUT_TOO_MANY_CATEGORIES: (
        "集合类输入项最多 {limit} 个类别",
        "a set input has at most {limit} categories",
    ),
    RefusalCode.POLICY_INPUT_ONLY_FOR: ("{field} 只用于 {kinds} 类型的输入项", "{field} is only for {kinds} inputs"),
    RefusalCode.POLICY_INPUT_EXAMPLE: (
        "示例值 {value} 不是有效的 {kind} 值",
        "example {value} is not a valid {kind} value",
    ),
    RefusalCode.POLICY_INPUT_NEEDS_EXAMPLE: ("缺少示例值（example）", "needs an example value"),
    RefusalCode.POLICY_INPUT_SOURCE: ("source 须写明定义它的文件", "source must name the document that defines it"),
    RefusalCode.POLICY_INPUT_DECLARED_TWICE: (
        "输入项 {name} 由 {first} 与 {second} 声明，类型、单位或类别不同：一个名称只对应人员表中的一列",
        "input {name} is declared by {first} and {second} with a different type, unit or categories: one name is "
        "one column of the person table",
    ),
    RefusalCode.POLICY_INPUT_NOT_DECLARED: (
        "输入项 {name} 未在适用链 {chain} 的 inputs 中声明",
        "input {name} is not declared in this chain's inputs ({chain})",
    ),
    RefusalCode.POLICY_NOT_DEFINED: (
        "{what_zh} {name} 未定义（适用链 {chain}）",
        "{what_en} {name} is not defined ({chain})",
    ),
    RefusalCode.POLICY_PARAMETER_UNIT: ("{unit}：{form} 的单位是 {param_unit}", "{unit}: {form} is in {param_unit}"),
    RefusalCode.POLICY_VALUE_UNUSABLE: ("有数值无法使用：{detail}", "a value cannot be used: {detail}"),
    RefusalCode.POLICY_PARAMETER_NOT_IN_FORCE: (
        "参数 {name} 在 {on} 没有生效的值（{jurisdiction}）",
        "parameter {name} has no value in force on {on} ({jurisdiction})",
    ),
    RefusalCode.POLICY_DEPENDENCY_CYCLE: (
        "各项服务相互依赖，形成循环（经过 {service}）",
        "services depend on each other in a cycle through {service}",
    ),
    RefusalCode.POLICY_NO_EXAMPLE: ("没有示例 {name}；现有：{known}", "no example {name}; shipped: {known}"),
    RefusalCode.POLICY_NO_PEOPLE: ("没有给出人员", "no people given"),
    RefusalCode.POLICY_TEST_NEEDS_CASES: ("须为含 cases 列表的映射", "needs a mapping with 'cases'"),
    RefusalCode.POLICY_TEST_NO_PERSON: (
        "人员 {person_id} 不在 people 之中",
        "person_id {person_id} is not among the people",
    ),
    RefusalCode.POLICY_TEST_UNKNOWN_OUTPUT: ("没有输出列 {column}", "unknown output column {column}"),
    RefusalCode.POLICY_TEST_UNKNOWN_OUTPUT_NEAR: (
        "没有输出列 {column}；是否指 {near}？",
        "unknown output column {column}; did you mean {near}?",
    ),
    RefusalCode.PARAMETER_UNIT: ("单位 {unit} 不是可选单位之一：{units}", "unit {unit} is not one of {units}"),
    RefusalCode.PARAMETER_NEEDS_VALUE: ("至少须有一个值（values）", "needs at least one value"),
    RefusalCode.PARAMETER_SOURCE: (
        "source 须写明依据的文件及条款",
        "source must name the document and article",
    ),
    RefusalCode.PARAMETER_SAME_DATE: ("有两个值自同一天起生效", "two values start on the same date"),
    RefusalCode.PARAMETER_UNKNOWN: (
        "参数树中没有此参数（见 docs/parameters.md）",
        "no such parameter in the tree (see docs/parameters.md)",
    ),
    RefusalCode.PARAMETER_NOT_IN_FORCE: (
        "{on} 没有生效的值（最早的值自 {first} 起）",
        "no value in force on {on} (the first starts {first})",
    ),
    RefusalCode.PARAMETER_NOT_IN_FORCE_IN: ("{month} 没有生效的值", "no value in force in {month}"),
    RefusalCode.PARAMETER_FILE_NEEDS: ("须有 {form} 映射", "needs a '{form}' mapping"),
    RefusalCode.PARAMETER_KEY_PREFIX: ("本文件的参数名须以 {prefix} 开头", "keys in {file} start with '{prefix}'"),
    RefusalCode.PARAMETER_LOCAL_CODE: ("不是六位地区代码", "is not a six-digit region code"),
    RefusalCode.PARAMETER_NOT_NATIONAL: (
        "全国部分没有定义此参数，不能在地方覆盖",
        "overrides a parameter the national part does not define",
    ),
    RefusalCode.PARAMETER_UNIT_DIFFERS: (
        "单位 {unit} 与全国的单位 {national} 不同",
        "unit {unit} differs from the national {national}",
    ),
    RefusalCode.PARAMETER_DEFINED_TWICE: ("{keys} 已由另一个文件定义", "{keys} already defined by another file"),
    RefusalCode.PARAMETER_FILE_UNREADABLE: ("无法读取（{detail}）", "cannot read ({detail})"),
    RefusalCode.PARAMETER_LOCAL_FILE: (
        "本地参数文件只能有一个 local 映射（以地区代码为键）",
        "a local parameter file holds only a 'local' mapping of region codes",
    ),
    # a granted application left out of a quota run ({missing_zh}/{missing_en}: the facts missing, by their labels)
    RefusalCode.QUOTA_NO_LINKED_PARENT: (
        "未登记父母，无法按父母积分排名",
        "no linked parent whose points rank the child",
    ),
    RefusalCode.QUOTA_PREREQUISITES_UNMET: ("不满足积分办法的申请条件", "the scheme's prerequisites are not met"),
    RefusalCode.QUOTA_PREREQUISITES_UNDECIDED: (
        "积分办法的申请条件尚不能判断",
        "the scheme's prerequisites cannot be decided yet",
    ),
    RefusalCode.QUOTA_PREREQUISITES_MISSING: (
        "积分办法的申请条件尚不能判断，缺少：{missing_zh}",
        "the scheme's prerequisites cannot be decided yet; missing: {missing_en}",
    ),
    RefusalCode.QUOTA_POINTS_UNASSESSED: ("积分未完全评定", "points not fully assessed"),
    RefusalCode.QUOTA_POINTS_MISSING: (
        "积分未完全评定，缺少：{missing_zh}",
        "points not fully assessed; missing: {missing_en}",
    ),
    RefusalCode.QUOTA_TIE_BREAK_MISSING: (
        "同分排序所需的本地社保月数未知（未上传缴费记录），缺少：{missing_zh}",
        "local insurance months for the tie-break unknown (no contribution history uploaded); missing: {missing_en}",
    ),
    RefusalCode.DRAFT_CONTRADICTS_DECISION: (
        "规则的判断为「{decision_zh}」，草拟的理由不能作为「{action_zh}」的理由：请写明理由",
        "the rules find the application {decision_en}, so the drafted reason cannot be the reason to {action_en}: "
        "give the reason",
    ),
    RefusalCode.LON_LAT_SWAPPED: (
        "经度和纬度填反了：经度 {lon} 是纬度的数值，纬度 {lat} 是经度的数值（中国境内经度约 73–136，纬度约 3–54）",
        "longitude and latitude are swapped: lon {lon} is a latitude and lat {lat} a longitude (in China the"
        " longitude is about 73–136 and the latitude about 3–54)",
    ),
    RefusalCode.LON_LAT_OUTSIDE_CHINA: (
        "经度 {lon}、纬度 {lat} 不在中国境内（经度约 73–136，纬度约 3–54）",
        "lon {lon}, lat {lat} is not in China (longitude about 73–136, latitude about 3–54)",
    ),
    RefusalCode.FACILITY_OUTSIDE_REGION: (
        "经度 {lon}、纬度 {lat} 在所填地区 {region:place} 的边界外约 {km} 公里：请核对经纬度或所在地区",
        "lon {lon}, lat {lat} lies about {km} km outside {region:place}, the region the row names: check the"
        " coordinates (WGS-84) or the region",
    ),
    RefusalCode.FACILITY_SCOPE_CLASH: (
        "同一省内已存储了另一范围的设施清单：{regions:place}；一个省只使用一种范围的设施清单（请先删除或重新上传这些清单）",
        "a facility list of another scope is stored for {regions:place} in the same province; a province uses"
        " facility lists of one scope (remove or re-upload those first)",
    ),
    RefusalCode.FACILITY_COARSER_THAN_SCOPE: (
        "设施清单的范围为{scope_zh}：地区 {region:place} 的层级高于{scope_zh}",
        "facility list of scope {scope_en}: region {region:place} is coarser than a {scope_en}",
    ),
    RefusalCode.FACILITY_LIST_EMPTY: ("设施清单为空，无法确定其范围", "an empty facility list has no scope"),
    RefusalCode.POPULATION_LEVEL_CLASH: (
        "已存储了另一层级的情景人口（{regions:place}）；情景人口须为同一层级的地区",
        "scenario populations of another level are stored ({regions:place}); a scenario population gives regions of"
        " one level",
    ),
    RefusalCode.BIRTH_DATE_NOT_ID: (
        "出生日期与公民身份号码第7–14位所记的出生日期不符",
        "the date of birth differs from the one the identity number gives (its digits 7–14)",
    ),
    RefusalCode.SEX_NOT_ID: (
        "性别与公民身份号码第17位不符（奇数为男，偶数为女）",
        "the sex differs from the one the identity number gives (its digit 17: odd male, even female)",
    ),
    RefusalCode.PARAMETER_SHARE_RANGE: (
        "比例须在 0 到 1 之间（5% 写作 0.05），实为 {value}",
        "a share is between 0 and 1 (5% is 0.05), got {value}",
    ),
    RefusalCode.FISCAL_SCHEMES_LIST: ("须列出至少一个财政方案", "'schemes' must be a non-empty list"),
    RefusalCode.FISCAL_SCHEME_TWICE: ("财政方案 {scheme_id} 出现了两次", "scheme id {scheme_id} appears twice"),
    RefusalCode.FISCAL_OPTION_NOT_A_DATE: (
        "{option} 的值 {value} 不是日期（YYYY-MM-DD）",
        "{option} {value} is not a date (YYYY-MM-DD)",
    ),
    RefusalCode.FISCAL_GAPS_UNAVAILABLE: (
        "无法计算规划缺口（{module}）：{detail}",
        "the planning gaps ({module}) are not available: {detail}",
    ),
    RefusalCode.FISCAL_FILE_NOT_FOUND: ("{file}：文件不存在", "{file}: file not found"),
    RefusalCode.FISCAL_REDEMPTIONS_UNREADABLE: (  # fiscalwords47: why, in each language where it is coded
        "{file}：无法读取服务券兑付记录（{detail_zh}）",
        "{file}: cannot read redemptions ({detail_en})",
    ),
    # fiscalwords47: a column by its label in the reader's language (rules/labels.FILE_COLUMNS), a row as the file
    # shows it (a CSV's line with the header as 1, a sheet's row)
    RefusalCode.FISCAL_REDEMPTIONS_COLUMNS: (
        "服务券兑付记录缺少列：{columns_zh}",
        "redemptions lack column(s): {columns_en}",
    ),
    RefusalCode.FISCAL_REDEMPTIONS_NOT_NUMERIC: (
        "服务券兑付记录的“{column_zh}”列须为数值，实为 {dtype}",
        'redemptions: the column "{column_en}" must hold numbers, got {dtype}',
    ),
    RefusalCode.FISCAL_REDEMPTIONS_EMPTY: (
        "服务券兑付记录第 {row} 行：“{column_zh}”为空",
        'redemptions row {row}: "{column_en}" is empty',
    ),
    RefusalCode.FISCAL_REDEMPTIONS_AMOUNT: (
        "服务券兑付记录第 {row} 行：“{column_zh}”为 {value}，须为非负数",
        'redemptions row {row}: "{column_en}" is {value}, it must be a non-negative number',
    ),
    RefusalCode.FISCAL_FLOORS_EXCEED_FUND: (
        "保底额无法满足：各地区保底额合计 {floors} 元，超过资金 {fund} 元（“{setting_zh}”为每位常住人口 {floor} 元）",
        'the floors bind: they add up to {floors} yuan, more than the fund of {fund} yuan ("{setting_en}" is {floor}'
        " yuan per resident)",
    ),
    RefusalCode.FISCAL_EQUITY_BINDS: (
        "均衡约束无法满足：{fund} 元资金在满足各地区保底额的同时，"
        "无法使人均分配的最高值不超过最低值的 {ratio} 倍（“{setting_zh}”）",
        "the equity constraint binds: no allocation of {fund} yuan meets every floor while keeping the highest"
        ' allocation per resident within {ratio} × the lowest ("{setting_en}")',
    ),
    RefusalCode.FISCAL_FLOORS_BIND: (
        "保底额无法满足：资金不足以满足各地区的保底额（“{setting_zh}”）",
        'the floors bind: they cannot all be met with the fund ("{setting_en}")',
    ),
    RefusalCode.FISCAL_FLOORS_AND_EQUITY_BIND: (
        "保底额约束和均衡约束各自都无法满足：请放宽其中之一",
        "the floors and the equity constraint each bind; relax either",
    ),
    RefusalCode.SIMULATION_NO_FILES: ("请至少给出一个改革情景文件", "give at least one scenario file"),
    RefusalCode.SIMULATION_FILE_NOT_FOUND: ("{file}：找不到改革情景文件", "{file}: scenario file not found"),
    RefusalCode.SIMULATION_FILE_UNREADABLE: (
        "{file}：无法读取改革情景文件（{detail}）",
        "{file}: cannot read the scenario file ({detail})",
    ),
    RefusalCode.SIMULATION_NOT_YAML: ("{file}：不是有效的 YAML（{detail}）", "{file}: not valid YAML ({detail})"),
    RefusalCode.SIMULATION_UNIT_COST: ("{service} 的单位成本：{why_zh}", "unit cost of {service}: {why_en}"),
    RefusalCode.SIMULATION_COSTS_FORM: (
        "{file}：单位成本（simulation.costs）须为各项服务及其年龄段的列表",
        "{file}: the unit costs (simulation.costs) must list each service with its age bands",
    ),
    RefusalCode.SIMULATION_COST_PLACES: (
        "{file}：单位成本（simulation.costs）中的{service_zh}须列出至少一个年龄段",
        "{file}: the unit costs (simulation.costs) of {service_en} must list at least one age band",
    ),
    RefusalCode.SIMULATION_COST_PLACE_FORM: (
        "{file}：单位成本中{service_zh}的第 {number} 个年龄段须写明最低年龄、最高年龄和每个名额每年的费用（元）",
        "{file}: age band {number} of the unit costs of {service_en} must give its lowest age, its highest age and"
        " the yearly cost of a place (yuan)",
    ),
    RefusalCode.SIMULATION_COST_PLACE_MISSING: (
        "{file}：单位成本中{service_zh}的第 {number} 个年龄段缺少{field_zh}",
        "{file}: age band {number} of the unit costs of {service_en} lacks {field_en}",
    ),
    RefusalCode.SIMULATION_COST_PLACE_NUMBERS: (
        "{file}：单位成本中{service_zh}的第 {number} 个年龄段：最低年龄、最高年龄和每个名额每年的费用（元）须为整数",
        "{file}: age band {number} of the unit costs of {service_en}: the lowest age, the highest age and the yearly"
        " cost of a place (yuan) must be whole numbers",
    ),
    RefusalCode.SIMULATION_COST_PLACE_RANGE: (
        "{file}：单位成本中{service_zh}的第 {number} 个年龄段：年龄和费用不能为负数，最高年龄不能低于最低年龄",
        "{file}: age band {number} of the unit costs of {service_en}: ages and the cost may not be negative, and the"
        " highest age may not be below the lowest",
    ),
    RefusalCode.SIMULATION_UNKNOWN_SERVICE: (
        "未知的服务 {service}；可选：{known}",
        "unknown service {service}; known: {known}",
    ),
    RefusalCode.SIMULATION_INPUT_NOT_DECLARED: (
        "{key}：{name} 不是任何地区声明的输入项",
        "{key}: {name} is not an input a jurisdiction declares",
    ),
    RefusalCode.SIMULATION_INPUT_DEFAULTS: ("声明输入项的默认值：{why_zh}", "declared-input defaults: {why_en}"),
    RefusalCode.SIMULATION_INPUT_WHOLE: (
        "{key}：{type} 类型的输入项须取整数",
        "{key}: a {type} input takes a whole number",
    ),
    RefusalCode.SIMULATION_INPUT_SHARE: (
        "{key}：比例须在 0 到 1 之间，实为 {share}",
        "{key}: a share is between 0 and 1, got {share}",
    ),
    RefusalCode.SIMULATION_INPUT_SHARE_EACH: (
        "{key}：须为 {codes} 每一类给出比例",
        "{key}: give a share for each of {codes}",
    ),
    RefusalCode.SIMULATION_INPUT_SHARES_SUM: (
        "{key}：各比例须为非负数且合计为 1",
        "{key}: shares must be non-negative and sum to one",
    ),
    RefusalCode.SIMULATION_INPUT_DATES_DEFAULT: (
        "{key}：日期列表类输入项的默认值为 0（任何人都没有发生）",
        "{key}: a dates input's default is 0 (no occurrence for anyone)",
    ),
    RefusalCode.SIMULATION_INPUT_NO_DEFAULT: (
        "{key}：{type} 类型的输入项没有默认值，保持未知",
        "{key}: a {type} input has no default; it stays unknown",
    ),
    RefusalCode.SIMULATION_INPUT_DEFAULT_FORM: (
        "{key}：{type} 类型输入项的默认值须写作 {expected}",
        "{key}: the default of a {type} input is given as {expected}",
    ),
    RefusalCode.SIMULATION_POPULATION_PARAMETER: ("合成人口：{why_zh}", "synthetic population: {why_en}"),
    RefusalCode.SIMULATION_SHARES_SUM: (
        "{prefix}.* 各比例合计为 {total}，不等于 1：请同时调整另一个比例",
        "the shares {prefix}.* sum to {total}, not 1; change another share too",
    ),
    RefusalCode.SIMULATION_NO_MANIFEST: (
        "{directory}：没有 {manifest}；请先写出合成人口（{command}）",
        "{directory}: no {manifest}; write the population first ({command})",
    ),
    RefusalCode.SIMULATION_MANIFEST_INVALID: (
        "{file}：不是合成人口的清单文件（{detail}）",
        "{file}: not a population manifest ({detail})",
    ),
    RefusalCode.SIMULATION_CHUNK_MISSING: (
        "{file}：第 {index} 块的文件 {part} 不存在",
        "{file}: chunk {index} file {part} is missing",
    ),
    RefusalCode.SIMULATION_CHUNK_UNKNOWN_CITY: (
        "{file}：第 {index} 块含有未知的城市代码 {code}",
        "{file}: chunk {index} has unknown city code {code}",
    ),
    RefusalCode.SIMULATION_POPULATION_FIXED: (
        "{directory} 中的合成人口按参数树的人口属性参数抽取；"
        "改变这些参数（simulation.share.* 等）的情景须在为其生成的人口上运行，不能使用 {option}",
        "{directory} was drawn with the tree's attribute parameters; a scenario that changes them (simulation.share.*,"
        " ...) runs on a population generated for it, without {option}",
    ),
    RefusalCode.SIMULATION_POPULATION_DIFFERS: (
        "{directory} 中的合成人口为抽样比例 {fraction}、随机种子 {seed}、日期 {as_of}、每块 {block} 人；本次运行要求"
        " {plan_fraction}、{plan_seed}、{plan_as_of}、{plan_block}",
        "{directory} holds sample {fraction}, seed {seed}, date {as_of}, block size {block}; the plan asks for"
        " {plan_fraction}, {plan_seed}, {plan_as_of}, {plan_block}",
    ),
    RefusalCode.CATEGORY_NOT_ONE_OF: ("不是可选值之一：{allowed_zh}", "not one of {allowed_en}"),
    RefusalCode.CATEGORY_NOT_ONE_OF_NEAR: (
        "不是可选值之一：{allowed_zh}；是否指 {near_zh}？",
        "not one of {allowed_en}; did you mean {near_en}?",
    ),
    RefusalCode.TOTAL_ROW: (
        "这一行是合计行（{value}），不是数据：请从文件中删去这一行",
        "a total row ({value}), not data: delete this row from the file",
    ),
    RefusalCode.ID_AS_NUMBER: (
        "身份证号码被存成了数字（科学计数法），号码已不完整：请把这一列设为文本格式，再输入完整的 18 位号码",
        "the identity number was stored as a number (scientific notation) and is no longer whole: format the column"
        " as text and type the 18 characters again",
    ),
    RefusalCode.ID_CHECK_DIGIT_AS_NUMBER: (
        "身份证号码校验位不符：号码像是被电子表格存成了数字（超过 15 位的数字，后几位会被改动）；"
        "请把这一列设为文本格式，再输入完整号码",
        "identity number: check digit does not match; it looks stored as a number by Excel (digits after the 15th"
        " are changed): format the column as text and type the number again",
    ),
    RefusalCode.RUN_PREPARING: ("正在准备合成人口与参数", "preparing the synthetic population and the parameters"),
    RefusalCode.RUN_COMPUTING_YEAR: ("正在测算 {year} 年", "estimating {year}"),
    RefusalCode.RUN_INTERRUPTED: (
        "服务在测算完成前重启，测算已中断：请重新开始",
        "interrupted by a service restart before it finished: start it again",
    ),
    RefusalCode.RUN_FAILED_UNEXPECTEDLY: (
        "测算意外失败（详情已记入服务器日志）：请重试；如仍失败，请将测算编号 {run_id} 告知系统管理员",
        "the run failed unexpectedly (the details are in the server log): try again, and if it fails again give"
        " your administrator the run number {run_id}",
    ),
    RefusalCode.XLSX_TOO_MANY_ROWS: (
        "所选结果有 {rows} 行，超过 Excel 工作表的上限（{limit} 行，含标题行）：请按年份、服务、指标或分组缩小范围，"
        "或改用 CSV 或 Parquet 格式",
        "the results asked for have {rows} rows, more than an Excel sheet holds ({limit} rows, the header"
        " included): narrow them by year, service, measure or grouping, or ask for CSV or Parquet",
    ),
    RefusalCode.NO_SUCH_PERSON_IN_JURISDICTION: (
        "您管辖范围内没有登记此身份证号码的常住人员",
        "no one registered with this identity number lives in your jurisdiction",
    ),
    RefusalCode.MAKER_CONTROLS_CHECKER: (
        "此账户由提出人 {maker} 创建或重置过密码，不能作为第二审批人",
        "this account was created, or had its password reset, by the maker {maker}: it cannot be the second approver",
    ),
    RefusalCode.POLICY_DURATION_NEEDS_UNIT: (
        "{name} 是时长（按月计）：`value: {value}` 会被当作 {value} 个月；请写 `years: {value}` 或 `months: {value}`",
        "{name} is a duration (counted in months): `value: {value}` would mean {value} months; write"
        " `years: {value}` or `months: {value}`",
    ),
    RefusalCode.POLICY_ADMISSION_LINE_FORM: (
        "分数线须指向一个参数：请写 `{form}`，并在参数部分为该参数写明分值、起始日期与来源（实为 {value}）",
        "the admission line names a parameter: write `{form}` and give that parameter its value, start date and"
        " source under parameters (found {value})",
    ),
    RefusalCode.DEGREES_MINUTES_SECONDS: (
        "{value} 是度分秒写法：请写成小数度（{decimal}）",
        "{value} is in degrees, minutes and seconds: write decimal degrees ({decimal})",
    ),
    # walk-resident
    RefusalCode.REQUEST_NOT_A_DATE: ("不是日期（请写作 2026-06-01）", "not a date (write it as 2026-06-01)"),
    # rules-words
    RefusalCode.NOT_A_REGION_NEW_AREA: (
        "{name} 是{what_zh}：请填写所在的区县（该区域涉及 {options_zh}）",
        "{name} is {what_en}: give the county it lies in (it spans {options_en})",
    ),
    # analyst-out
    RefusalCode.FACILITY_NOT_UPLOADED: (
        "{regions:place} 没有已上传的设施清单（{home} 下已存储清单的地区：{stored:place}）",
        "no facility list was uploaded for {regions:place} (regions with a stored list under {home}: {stored:place})",
    ),
    RefusalCode.FACILITY_NONE_UPLOADED: (
        "没有已上传的设施清单（{home} 下没有存储任何清单）",
        "no facility list has been uploaded (none is stored under {home})",
    ),
    RefusalCode.FACILITY_LIST_TWICE: (
        "请只给一份设施清单：{file_option}（文件）或 {uploaded_option}（已上传的清单）",
        "give one facility list: {file_option} (a file) or {uploaded_option} (a list uploaded to the service)",
    ),
    # sec-decide
    RefusalCode.ACTIVATION_CODE_EXPIRED: (
        "此一次性激活码已过期：请到办理机构重新领取",
        "this one-time activation code has expired: ask the office for a new one",
    ),
    RefusalCode.APPEAL_DECIDED_BY_OTHER: (
        "复核须由原决定人以外的人员作出：原决定由 {username} 作出，请由其他工作人员或管理员决定",
        "an appeal is decided by someone other than who made the decision appealed ({username}): a colleague or an"
        " administrator decides it",
    ),
    RefusalCode.NO_PERSON_IN_REACH: (
        "您可查看的范围内没有此居民（请检查链接或重新搜索）",
        "no such resident within your reach (check the link or search again)",
    ),
    # walkoffice
    RefusalCode.NUMBER_WITH_UNIT: (
        "{value} 带有单位「{unit}」：此列只填数字，不写单位",
        "{value} has a unit ({unit}): write the number alone, without its unit",
    ),
    RefusalCode.CSV_ROW_TOO_MANY_CELLS: (
        "文件无法读取：第 {line} 行有 {cells} 个单元格，表头只有 {columns} 列"
        "（多半是单元格里的逗号把它分成了两格，如 3,200）：请给含逗号的单元格加上英文双引号，或在 Excel 中另存为 CSV",
        "the file cannot be read: row {line} has {cells} cells but the header has {columns} columns (most likely a"
        " comma inside a cell split it in two, as in 3,200): put such cells in double quotes, or save the sheet as CSV"
        " from Excel",
    ),
    RefusalCode.PERSON_MOVED_OUT: (
        "此人已于 {on} 迁往 {region:place}（跨省通办），本地记录只作历史保留，不能再写入",
        "the person moved to {region:place} on {on} (跨省通办 hand-over): the record here is history and cannot be"
        " written",
    ),
    # officepolish
    RefusalCode.NOT_A_REGION_NEAR_PLACE: (
        "不是地区代码或准确的地名；是否指 {near:place}？",
        "not a region code or the exact name of a region; did you mean {near:place}?",
    ),
    # movedout
    RefusalCode.APPLICANT_MOVED_OUT: (
        "申请人已于 {on} 迁往 {region:place}（跨省通办），此申请不再在本地审核或决定；"
        "未办结的申请可「终止办理（已迁出）」",
        "the applicant moved to {region:place} on {on} (cross-province hand-over): this application is no longer"
        " reviewed or decided here; an open one can be closed as moved out",
    ),
    RefusalCode.CLOSE_ONLY_MOVED_OUT: (
        "只有申请人已跨省迁出的申请才能「终止办理（已迁出）」；申请人仍居住在 {region:place}",
        "only an application whose applicant moved to another province can be closed as moved out; the applicant"
        " still lives in {region:place}",
    ),
    # siting
    RefusalCode.NO_SITING_RUN: ("没有编号为 {run_id} 的选址方案", "no siting run {run_id}"),
    RefusalCode.SITING_REGION_LEVEL: (
        "选址在一个省或一个地级市的县级单位中进行：{region:place} 是县级地区，请选择它所在的市或省",
        "siting places facilities among the county seats of a province or a prefecture-level city: {region:place} is"
        " a county-level region; choose its city or province",
    ),
    RefusalCode.SITING_NO_REGION: (
        "{region} 不是省或地级市的代码（2020 年人口普查中没有这一地区）",
        "{region} is not the code of a province or a prefecture-level city (the 2020 census has no such region)",
    ),
    RefusalCode.SITING_TOO_FEW_COUNTIES: (
        "{region:place} 有驻地坐标的县级单位只有 {counties} 个，新建数量最多为 {counties}（所填为 {p}）",
        "{region:place} has {counties} county-level units with a seat, so at most {counties} new facilities can be"
        " placed (asked: p = {p})",
    ),
    RefusalCode.SITING_NEEDS_SCHOOL_LIST: (
        "学校选址以上传的学校清单为基础：{region:place} 没有上传带坐标的{service_zh}学校清单；"
        "请先在“数据上传”页上传学校清单（学段、学位数和经纬度）",
        "schools are sited from an uploaded school list: no list of {service_en} with coordinates was uploaded for"
        " {region:place}; upload the school list (stage, places, longitude and latitude) on the Uploads page first",
    ),
    RefusalCode.SITING_PREPARING: (
        "正在读取缺口、人口普查和设施清单",
        "reading the gaps, the census and the facility lists",
    ),
    RefusalCode.SITING_SOLVING: ("正在求解{model_zh}模型", "solving the {model_en} model"),
    # tidy
    RefusalCode.IDENTITY_KEY_MISMATCH: (
        "服务器的身份信息密钥与加密保存数据时所用的密钥不一致，无法读取这些数据。这是服务器的配置问题，不是您的操作有误；"
        "请联系运维人员，事件编号 {incident}",
        "the server's identity key does not match the key its stored data was encrypted with, so that data cannot be"
        " read. This is a problem of the server's configuration, not of your request: tell the operator, incident"
        " {incident}",
    ),
    # leak39
    RefusalCode.PERSON_MOVED_OUT_ELSEWHERE: (
        "此人已迁往外省（跨省通办），本地记录只作历史保留，不能再写入；请由其现居住地的经办机构办理",
        "the person has moved to another province (an inter-provincial hand-over): the record here is history and"
        " cannot be written; the office of the place they live in now handles it",
    ),
    RefusalCode.REVERSAL_AFTER_RETURN: (
        "这次跨省迁出不能撤销：此人已于 {on} 从 {region:place} 迁回，说明对方省份已接收这条消息。"
        "请改选“重新发送”：对方会以已保存的回执应答，消息即记为已送达",
        "this hand-over cannot be reversed: the person came back from {region:place} on {on}, which shows that the"
        " other province's instance took it in. Choose resend instead: the other instance answers with the receipt"
        " it kept, and the message is marked delivered",
    ),
    RefusalCode.REVERSAL_RECORDS_MOVED_ON: (
        "这次跨省迁出不能自动撤销：它转出的记录此后已不再由 {region:place} 持有。请先向对方省份核实是否已接收："
        "已接收请选择“重新发送”，未接收请联系运维人员手工更正记录",
        "this hand-over cannot be reversed automatically: the records it sent are no longer held by"
        " {region:place}. Check with the other province's instance whether it took the message in: if it did,"
        " choose resend; if not, ask the operator to correct the records by hand",
    ),
    # journey39a
    RefusalCode.HEADER_BLANK: (
        "有数据但没有列名：请在表头填上列名，或删去这一列",
        "holds data but has no header: give it a header or delete the column",
    ),
    RefusalCode.EXCEL_SERIAL_DATE: (
        "{value} 像是电子表格的日期序号（即 {day}）：请把此列设为日期格式，或写成 {day}",
        "{value} looks like a spreadsheet's date serial number ({day}): format the column as a date, or write {day}",
    ),
    # journey39b
    RefusalCode.NO_REGION_IN_ADDRESS: (
        "文件没有“所在区县”列，地址也不以区县名开头（如 成都市青羊区……），读不出设施所在地区："
        "请写全地址或加一列“所在区县”",
        "the file has no region column and the address does not begin with a district or county name, so the"
        " facility's region cannot be read: write the address with its city and district first, or add a region"
        " column",
    ),
    # movednet
    RefusalCode.APPLICANT_MOVED_OUT_ELSEWHERE: (
        "申请人已迁往外省（跨省通办），此申请不再在本地审核或决定；未办结的申请可「终止办理（已迁出）」",
        "the applicant has moved to another province (an inter-provincial hand-over): this application is no longer"
        " reviewed or decided here; an open one can be closed as moved out",
    ),
    RefusalCode.ARRIVAL_AFTER_HAND_OVER: (
        "此人的记录已移交外省（跨省通办），本地记录只作历史保留，不能在此登记迁入；"
        "请由其现居住地的经办机构办理跨省转出，本地接收后即恢复为本地居民",
        "this person's record was handed over to another province's instance (an inter-provincial hand-over) and is"
        " history here, so an arrival cannot be recorded for it: the office of the place they live in now hands"
        " them back, and they are a resident here again once this instance takes them in",
    ),
    # files41
    RefusalCode.HEADER_BLANK_AT: (
        "第 {position} 列（{letter}）有数据但没有列名：请在表头填上列名，或删去这一列",
        "column {position} ({letter}) holds data but has no header: give it a header or delete the column",
    ),
    RefusalCode.FILE_EMPTY: (
        "文件是空的（没有表头，也没有数据）：请上传填好的表格",
        "the file is empty (no header and no rows): upload the filled-in table",
    ),
    RefusalCode.FILE_NOT_A_TABLE: (
        "这不是表格文件，而是 {format} 文件（只是改了文件名后缀）："
        "请在原来的程序中把表格另存为 Excel 工作簿或 CSV 文件再上传",
        "this is not a table but a {format} file (only its name ends in the table's suffix): save the table as Excel"
        " (.xlsx) or CSV in the program that made it and upload that",
    ),
    RefusalCode.FILE_NOT_TEXT: (
        "文件不是文本表格（既不是 UTF-8 也不是 GBK/GB18030 编码）："
        "请在 Excel 中另存为 Excel 工作簿或“CSV UTF-8”文件再上传",
        "the file is not a text table (neither UTF-8 nor GBK/GB18030): save it from Excel as .xlsx or as"
        ' "CSV UTF-8" and upload that',
    ),
    RefusalCode.WORKBOOK_UNREADABLE: (
        "无法作为 Excel 工作簿打开（文件已损坏，或并不是 Excel 文件）：请用 Excel 打开后另存为 Excel 工作簿再上传",
        "cannot be opened as an Excel workbook (the file is damaged or is not a workbook): open it in Excel, save it"
        " as .xlsx and upload that",
    ),
    RefusalCode.FILE_NO_ROWS: (
        "文件只有表头，没有数据行：请在表头下填上要导入的行再上传",
        "the file has a header but no rows: fill in the rows to import under the header and upload it again",
    ),
    # cli41
    RefusalCode.VOUCHER_CANCELLED_ON: (
        "服务券 {voucher_no} 已于 {on} 作废，不能再兑付：请勿凭此券提供服务；详情可询发券地 {issuer:place}",
        "voucher {voucher_no} was cancelled on {on} and can no longer be redeemed: do not provide the service"
        " against it; the issuer, {issuer:place}, can say more",
    ),
    RefusalCode.VOUCHER_CANCELLED: (
        "服务券 {voucher_no} 已作废（作废日期未知），不能再兑付：请勿凭此券提供服务；详情可询发券地 {issuer:place}",
        "voucher {voucher_no} has been cancelled (the date is not known here) and can no longer be redeemed: do not"
        " provide the service against it; the issuer, {issuer:place}, can say more",
    ),
    RefusalCode.CLI_NO_PERSON_WITH_KEY: (
        "登记系统中没有此人员编号的居民：请核对人员编号，或用 {command} 按身份证号查出编号",
        "no such resident in the registry: check the person key, or get it from the identity number with {command}",
    ),
    RefusalCode.CLI_NO_PERSON_IN_REACH: (
        "在您的管辖范围内没有此居民：请核对人员编号，或确认此人是否居住在您的辖区（{option} 所指用户的辖区）",
        "no such resident within your reach: check the person key, or whether the person lives in the"
        " jurisdiction of the user named by {option}",
    ),
    RefusalCode.CLI_OPTION_NOT_A_DATE: (
        "{option}：{value} 不是日期：请按 年-月-日 写成 YYYY-MM-DD，如 2026-03-01",
        "{option}: {value} is not a date: write it YYYY-MM-DD (year-month-day), e.g. 2026-03-01",
    ),
    RefusalCode.CLI_OPTION_NOT_A_MONTH: (
        "{option}：{value} 不是月份：请写成 YYYYMM（年月六位数字），如 202301",
        "{option}: {value} is not a month: write it YYYYMM (six digits, year and month), e.g. 202301",
    ),
    RefusalCode.CLI_OPTION_NOT_ONE_OF: (
        "{option}：{value} 不是可选值：请写 {choices} 之一",
        "{option}: {value} is not a value it takes: write {choices}",
    ),
    RefusalCode.CLI_REGION_NAME_NOT_CODE: (
        "{option}：{value} 是地名，此处要写地区代码：{near:place} 请写 {code}",
        "{option}: {value} is a name; write the region's code here: for {near:place} write {code}",
    ),
    RefusalCode.CLI_REGION_NOT_A_CODE: (
        "{option}：{value} 不是地区代码：请写六位地区代码（{command} 列出各地级地区的代码）",
        "{option}: {value} is not a region code: write the six-digit code ({command} lists the prefectures' codes)",
    ),
    RefusalCode.CLI_FILE_NOT_FOUND: (
        "{file}：找不到此文件：请检查路径和文件名（相对路径从当前目录 {cwd} 算起）",
        "{file}: no such file: check the path and the file name (a relative path starts from the current directory,"
        " {cwd})",
    ),
    # review41
    RefusalCode.CLI_REGION_NAME_SHARED: (
        "{option}：{value} 是几个地区共用的地名，此处要写地区代码：请写所指地区的代码（{options:place}）",
        "{option}: {value} is the name of several regions; write the code of the one meant here ({options:place})",
    ),
    RefusalCode.SHEET_NOT_IN_WORKBOOK: (
        "工作簿中没有名为 {sheet} 的工作表：请写它有的工作表之一（{sheets}）",
        "the workbook has no sheet named {sheet}: name one of its sheets ({sheets})",
    ),
    RefusalCode.CLI_NO_ID_IN_REACH: (
        "在您的管辖范围内没有登记此身份证号码的居民：请核对号码，或确认此人是否居住在您的辖区"
        "（{option} 所指用户的辖区）",
        "no resident with this identity number within your reach: check the number, or whether the person lives in"
        " the jurisdiction of the user named by {option}",
    ),
    RefusalCode.SITING_ESTIMATE_BEDS: (
        "估算：建设前的每千人床位中，设施清单以外的床位按本地户籍常住人口分摊到地级市驻地（不是统计数）；建设后把常住口径"
        "床位缺口平均加到 p-中位新址",
        "estimate: before, the beds not in a facility list are apportioned to the prefecture seats by local-hukou "
        "residents (not a statistic); after, the resident-basis bed gap is added in equal parts at the p-median sites",
    ),
    RefusalCode.SITING_ESTIMATE_SCHOOLS: (
        "估算：建设前的每千名学龄儿童学位中，学校清单以外的学位按本地户籍常住人口分摊到地级市驻地（不是统计数），"
        "学龄儿童按5–14岁人口的学龄占比推算（{shares_zh}）；建设后把常住口径学位缺口平均加到 p-中位新址",
        "estimate: before, the places not in the school list are apportioned to the prefecture seats by local-hukou "
        "residents (not a statistic), and the children of school age are a share of the census 5–14 band "
        "({shares_en}); after, the resident-basis place gap is added in equal parts at the p-median sites",
    ),
    RefusalCode.TRANSFER_ALREADY_OPEN: (
        "已有一项把 {region:place} 的{scheme:term}记录转出的申请在办理中：请先办结那一项（在此人的转移记录中可见）",
        "an application to take over {region:place}'s {scheme:term} records is already open: complete that one first"
        " (it is in the person's transfers)",
    ),
    RefusalCode.COLUMNS_NOT_READ: (
        "以下列不是{table_zh}的列，未读取，也不会保存：{columns_zh}",
        "columns left out, neither read nor stored (not columns of this table, {table_en}): {columns_en}",
    ),
    RefusalCode.HEADER_LIKE_KNOWN: (
        "列名与「{header}」（{label_zh}）相近，像是写错了：如果是这一列，请把表头改成「{header}」；如果不是，请换一个不相近的列名"
        "（其他不认识的列会被忽略）",
        "unknown column, close to “{header}” ({label_en}), as if mistyped: if it is that column, head it “{header}”;"
        " if not, give it a header not so close (other unknown columns are left out)",
    ),
    # review42src
    RefusalCode.TRANSFER_NO_OTHER_APPLICATION: (
        "转移编号 {transfer_no} 已用于另一项转移申请，与本次所写的人员、险种或转出地、转入地不同：请核对编号，"
        "新的申请请另选一个编号",
        "transfer number {transfer_no} belongs to another application, not of the person, scheme or places given"
        " here: check the number, or choose another one for a new application",
    ),
    # cli45
    RefusalCode.HEADER_LIKE_CHINESE_LABEL: (
        "列名与「{header}」相近，像是写错了：如果是这一列，请把表头改成「{header}」；如果不是，请换一个不相近的列名"
        "（其他不认识的列会被忽略）",
        "unknown column, close to “{header}” ({label_en}), as if mistyped: if it is that column, head it “{header}”;"
        " if not, give it a header not so close (other unknown columns are left out)",
    ),
    RefusalCode.CLI_QUOTA_NEEDS_CAPACITY: (
        "积分入学要按各区县的学位数排名：请用 {option} 写出各区县的学位数（区县代码=学位数，如 440103=120），"
        "或用 {facilities} 给出学校清单",
        "a school-place ranking needs the places of each district: give them with {option} (DISTRICT=PLACES, e.g."
        " 440103=120), or give the list of schools with {facilities}",
    ),
    # fiscal46
    RefusalCode.FISCAL_SPLIT_NEGATIVE_TOTAL: (
        "{what_zh}：总额为负数（{total} 元），无法拆分",
        "{what_en}: cannot split a negative total ({total} yuan)",
    ),
    RefusalCode.FISCAL_SPLIT_NO_ROWS: (
        "{what_zh}：没有可以分得 {total} 元的行",
        "{what_en}: no rows to receive {total} yuan",
    ),
    RefusalCode.FISCAL_SPLIT_BAD_WEIGHT: (
        "{what_zh}：第 {row} 行的权重为 {value}；权重须为有限的非负数",
        "{what_en}: the weight of row {row} is {value}; weights must be finite and non-negative",
    ),
    RefusalCode.FISCAL_SPLIT_ZERO_WEIGHTS: (
        "{what_zh}：所有权重均为零，{total} 元无法分配",
        "{what_en}: every weight is zero, so {total} yuan cannot be split",
    ),
    RefusalCode.FISCAL_EQUITY_SHAPES: (
        "计算公平性指标需要与数值个数相同的权重，且至少有一个数值",
        "equity measures need as many weights as values, and at least one value",
    ),
    RefusalCode.FISCAL_EQUITY_NOT_FINITE: (
        "计算公平性指标需要有限的非负数值和权重",
        "equity measures need finite, non-negative values and weights",
    ),
    RefusalCode.FISCAL_EQUITY_NO_WEIGHT: (
        "计算公平性指标需要权重之和为正数",
        "equity measures need a positive total weight",
    ),
    RefusalCode.FISCAL_EQUITY_NO_POPULATION: (
        "计算人均数值需要每个地区的人口均为正数",
        "per-capita figures need a positive population in every region",
    ),
    RefusalCode.FISCAL_URBANISATION_NOT_POSITIVE: (
        "第 {row} 行（{region:place}）：城镇化率须为正数，才能计算财力调节系数",
        "row {row} ({region:place}): the urbanisation rate must be positive for the fiscal-capacity factor",
    ),
    RefusalCode.FISCAL_TABLE_COLUMNS_MISSING: (
        "{table_zh}缺少列：{columns_zh}",
        "the {table_en} lacks column(s) {columns_en}",
    ),
    RefusalCode.FISCAL_TABLE_NOT_NUMBER: (
        "{table_zh}第 {row} 行（{region:place}）：{column_zh}须为非负数",
        "{table_en} row {row} ({region:place}): {column_en} must be a non-negative number",
    ),
    RefusalCode.FISCAL_TABLE_VALUE_MISSING: (
        "{table_zh}第 {row} 行（{region:place}）：缺少{column_zh}",
        "{table_en} row {row} ({region:place}): {column_en} is missing",
    ),
    RefusalCode.FISCAL_TABLE_NOT_ONE_OF: (
        "{table_zh}第 {row} 行（{region:place}）：{column_zh}“{value}”不是可选值之一：{allowed_zh}",
        "{table_en} row {row} ({region:place}): {column_en} {value!r} is not one of {allowed_en}",
    ),
    RefusalCode.FISCAL_TABLE_REGIONS_MISSING: (
        "{table_zh}没有以下 {count} 个地区的行：{regions:place}；这些地区的数字未知，不能当作 0",
        "the {table_en} has no row for {count} region(s): {regions:place}; their figures are unknown, not 0",
    ),
    RefusalCode.FISCAL_POT_NO_BASE: (
        "{pot_zh}有 {yuan} 元，但各地区的分配基数均为零：请在方案“{scheme_zh}”中把“{setting_zh}”设为 0",
        'the {pot_en} has {yuan} yuan but every region\'s base for it is zero; set "{setting_en}" to 0 in the'
        ' scheme "{scheme_en}"',
    ),
    RefusalCode.FISCAL_GAPS_NO_RESIDENT_ROWS: (
        "服务缺口表没有按常住人口计算的行，无法据此分配",
        "the service gaps table has no rows on the resident basis to allocate against",
    ),
    RefusalCode.FISCAL_GAPS_ROW_TWICE: (
        "服务缺口表中 {region:place} 的“{service_zh}”有两行按常住人口计算的行",
        "the service gaps table has two rows on the resident basis for {region:place} / {service_en}",
    ),
    RefusalCode.FISCAL_GAPS_REGIONS_MISSING: (
        "服务缺口表没有以下 {count} 个地区的行：{regions:place}；预算分配无法与简单分法相比较",
        "the service gaps table has no row for {count} region(s): {regions:place}; the budget allocation cannot be"
        " compared with the simple splits",
    ),
    RefusalCode.FISCAL_POPULATION_MISSING: (
        "没有以下 {count} 个地区的常住人口：{regions:place}",
        "no resident population for {count} region(s): {regions:place}",
    ),
    RefusalCode.FISCAL_REGION_NO_RESIDENTS: ("{region:place} 没有常住人口", "region {region:place} has no residents"),
    RefusalCode.FISCAL_FLOOR_NEGATIVE: (
        "{region:place} 的保底额为负数（{value} 元）",
        "the floor of region {region:place} is negative ({value} yuan)",
    ),
    RefusalCode.FISCAL_LP_NOT_SOLVED: (
        "预算分配的线性规划未能求解：{detail}",
        "the budget allocation's linear programme did not solve: {detail}",
    ),
    RefusalCode.FISCAL_DEMAND_UNKNOWN: (
        "成本分担：{count} 个地区与服务的本地户籍常住人口需求或常住人口需求未知"
        "（地区：{regions:place}；服务：{services_zh}），这部分成本中流动人口的份额因此未知，不能当作 0",
        "cost sharing: the local-hukou or resident demand of {count} region(s) and service(s) is unknown (regions:"
        " {regions:place}; services: {services_en}); the migrants' part of their cost is unknown, not 0",
    ),
    RefusalCode.SAME_COLUMN_HEADED: ("与“{header}”是同一列", 'names the same column as "{header}"'),
    RefusalCode.SCENARIO_NEEDS_TITLE: (
        "请给改革方案一个标题：中文或英文至少填一种（只填一种时，两种语言都显示它），写作"
        " title: {{zh: 中文标题, en: 英文标题}}",
        "give the reform a title: in Chinese, English or both (one given shows in both languages), written"
        " title: {{zh: Chinese title, en: English title}}",
    ),
    RefusalCode.SCENARIO_TITLE_TOO_LONG: (
        "改革方案的标题最多 {most} 个字（现为 {length} 个）",
        "a reform's title has at most {most} characters (this one has {length})",
    ),
    RefusalCode.CLI_CONTRIBUTION_NEEDS_BASE: (
        "缴费月份按月缴费基数记账：请用 {option} 写出月缴费基数（元），如 {option} 6500；基数不明的不能记为 0",
        "months paid are recorded on their monthly contribution base: give it with {option} (yuan), e.g."
        " {option} 6500; a base not known is not recorded as 0",
    ),
    RefusalCode.POLICY_BRACKETS_OVERLAP: (
        "第 {first} 档（{first_min}–{first_max}）与第 {second} 档（{second_min}–{second_max}）重叠：{year} 同属两档，"
        "请核对分值表，使每一档的下限大于上一档的上限",
        "bracket {first} ({first_min}–{first_max}) overlaps bracket {second} ({second_min}–{second_max}): {year} is in"
        " both; check the points table so that each bracket's min is above the previous one's max",
    ),
    RefusalCode.POLICY_BRACKET_BACKWARDS: (
        "下限（{low}）大于上限（{high}）：请核对分值表",
        "min ({low}) is above max ({high}): check the points table",
    ),
    RefusalCode.SCENARIO_TITLE_SHAPE: (
        "改革方案的标题按语言分别写：title: {{zh: 中文标题, en: 英文标题}}"
        "（至少写一种，只写一种时两种语言都显示它）；现为 {given}",
        "a reform's title is written per language: title: {{zh: Chinese title, en: English title}} (at least one;"
        " one given shows in both languages); given: {given}",
    ),
    RefusalCode.PERMIT_IN_FUTURE: (
        "签发日期 {on} 晚于今天（{today}）：请填写居住证实际签发之日，最晚为今天",
        "the issue date {on} is after today ({today}): give the day the permit is actually issued, today at the latest",
    ),
    RefusalCode.MOVE_IN_FUTURE: (
        "迁移日期 {on} 晚于今天（{today}）：迁移发生后再登记，日期最晚为今天",
        "the moving date {on} is after today ({today}): record a move once it has happened, dated today at the latest",
    ),
    RefusalCode.MOVE_RECORDED_WHERE_ARRIVED: (
        "迁入地 {region:place} 不在您的辖区（{scopes:place}）内："
        "迁移由迁入地的经办机构登记（此人在当地出示身份证件办理）",
        "{region:place} is outside your jurisdiction ({scopes:place}): a move is recorded by the office of the place"
        " moved to (the person shows their ID there)",
    ),
    RefusalCode.EXAMPLE_ROW: (
        "这一行是模板自带的示例行，不是数据：请从文件中删去这一行",
        "the template's example row, not data: delete this row from the file",
    ),
    RefusalCode.PRIOR_MONTHS_MISSING: (
        "缺少月数：没有上一居住地的，在那里的月数为 0，请写 0；有上一居住地的，请写上一居住地和在那里的月数",
        "the months are missing: with no previous place of residence the months there are 0, write 0; with one,"
        " write the previous place and the months there",
    ),
    RefusalCode.COLUMN_MISSING_HEADERS: (
        "缺少此列：表头可写{headers_zh}",
        "column is missing: its header may be {headers_en}",
    ),
    RefusalCode.CLI_NOT_ONE_OF: (
        "{option} 不能是 {value}：可选 {choices_zh}",
        "{option} {value}: give one of {choices_en}",
    ),
    RefusalCode.CLI_FILE_SUFFIX: (
        "{option} {path}：文件名请以 {suffixes_zh} 结尾",
        "{option} {path}: give a {suffixes_en} file",
    ),
    RefusalCode.CLI_EXPLAIN_NEEDS_INPUT: (
        "请用 {example} 示例名 或 {people} 文件 给出要解释的人（见 {command}）",
        "give {example} NAME or {people} FILE (see {command})",
    ),
    RefusalCode.CLI_EVALUATE_NEEDS_INPUT: (
        "请给出一个人员文件或 {option}（二者选一）",
        "give a person file or {option} (one of them)",
    ),
    RefusalCode.CLI_POLICY_TESTS_FAILED: (
        "{count} 项政策测试的预期不成立（见上表）",
        "{count} policy test expectation(s) failed (see the table above)",
    ),
    RefusalCode.CLI_CAPACITY_FORM: (
        "--capacity {value}：请写成 区县代码=学位数，如 440103=120",
        "--capacity {value}: expected DISTRICT=PLACES, e.g. 440103=120",
    ),
    RefusalCode.CLI_PEERS_NEED_REGION: (
        "{option} 需要本实例所服务的地区：请先设置 {variable}，如 {command}",
        "{option} needs the region this instance serves: set {variable} first, e.g. {command}",
    ),
    RefusalCode.REGISTRY_NOT_LOADED: (
        "数据库中还没有地区和人口数据：请运行 {command}",
        "the database has no regions yet: run {command}",
    ),
    RefusalCode.UNKNOWN_TABLE_KIND: (
        "没有 {kind} 这类表：可选 {kinds_zh}",
        "unknown table kind {kind}; kinds: {kinds_en}",
    ),
    RefusalCode.PEER_KEY_NOT_HEX: (
        "公钥 {given}… 不是十六进制数字：请填写对方运行 {command} 显示的 64 位十六进制数字",
        "public key {given}… is not hexadecimal: give the 64 hex digits {command} prints on the peer",
    ),
    RefusalCode.PEER_KEY_LENGTH: (
        "公钥有 {digits} 位十六进制数字，应为 64 位：请完整复制对方运行 {command} 显示的公钥",
        "the public key has {digits} hex digits, not 64: copy the whole key {command} prints on the peer",
    ),
    RefusalCode.KEY_FILE_OPEN: (
        "密钥文件 {path} 其他用户也能读取（权限 {mode}）：请运行 {command}",
        "key file {path} is readable by others (mode {mode}): run {command}",
    ),
    RefusalCode.KEY_FILE_SHORT: (
        "密钥文件 {path} 不足 32 个字符：请换成至少 32 个字符的密钥，或删去此文件让服务重新生成（所有人须重新登录）",
        "key file {path} holds fewer than 32 characters: put a key of at least 32 in it, or delete the file for the"
        " service to make a new one (everyone logs in again)",
    ),
    RefusalCode.KEY_FILE_NOT_KEY: (
        "密钥文件 {path} 不是本实例的签名私钥：请从备份恢复此文件",
        "key file {path} is not an Ed25519 private key (PEM): restore it from the backup",
    ),
    RefusalCode.TABLE_FILE_FORMAT: (
        "{file}：不支持 {suffix} 格式：请存为 {suffixes_zh} 之一",
        "{file}: unknown format {suffix}; give one of {suffixes_en}",
    ),
    RefusalCode.TABLE_SHEET_NOT_EXCEL: (
        "{file}：{option} 只用于 Excel 工作簿（{suffixes_zh}）",
        "{file}: {option} is only for Excel workbooks ({suffixes_en})",
    ),
    RefusalCode.TABLE_DIRECTORY_EMPTY: (
        "{file}：此目录中没有 Parquet 文件",
        "{file}: a directory without .parquet files",
    ),
    RefusalCode.LEDGER_UNIT_UNBALANCED: (
        "单位为{unit:term}的分录合计为 {total}，不为 0",
        "entries in unit {unit} sum to {total}, not 0",
    ),
    RefusalCode.LEDGER_BALANCE_DIFFERS: (
        "账户 {account}：余额 {balance}，记录为 {expected}",
        "{account}: balance {balance}, records say {expected}",
    ),
    RefusalCode.LEDGER_NEGATIVE_BALANCE: (
        "账户 {account}：余额为负（{balance}）",
        "{account}: negative balance {balance}",
    ),
    RefusalCode.LEDGER_TXN_UNVOUCHED: (
        "账务交易 {transaction}：其分录没有审计记录为证",
        "ledger transaction {transaction}: entries that no audit record vouches for",
    ),
    RefusalCode.LEDGER_TXN_MISSING: (
        "账务交易 {transaction}：审计日志中有记录，账本中却没有",
        "ledger transaction {transaction}: recorded in the audit log but missing from the ledger",
    ),
    RefusalCode.LEDGER_TXN_DIFFERS: (
        "账务交易 {transaction}：分录与审计日志中记录的不同",
        "ledger transaction {transaction}: entries differ from those recorded in the audit log",
    ),
    RefusalCode.LEDGER_VOUCHER_REDEEMED_AGAIN: (
        "服务券 {voucher}：被使用了 {count} 次",
        "voucher {voucher}: redeemed {count} times",
    ),
    RefusalCode.LEDGER_VOUCHER_ISSUED_REDEEMED: (
        "服务券 {voucher}：状态为已发放，却有一笔使用交易",
        "voucher {voucher}: status issued, but a redemption transaction exists",
    ),
    RefusalCode.LEDGER_VOUCHER_CANCELLED_UNEXPLAINED: (
        "服务券 {voucher}：状态为已作废，却没有一笔仍然有效的跨省通办转出将其作废",
        "voucher {voucher}: status cancelled, but no standing 跨省通办 hand-over cancelled it",
    ),
    RefusalCode.LEDGER_VOUCHER_CANCELLED_BY: (
        "服务券 {voucher}：状态为{status:term}，但跨省通办转出 {message} 已将其作废",
        "voucher {voucher}: status {status}, but hand-over {message} cancelled it",
    ),
    RefusalCode.LEDGER_VOUCHER_NO_REDEMPTION: (
        "服务券 {voucher}：状态为{status:term}，却没有使用交易",
        "voucher {voucher}: status {status}, but no redemption transaction exists",
    ),
    RefusalCode.PEER_REVERSED_DIFFERS: (
        "消息 {message}：本实例冲回 {reversed_zh}，转出时为 {sent_zh}",
        "message {message}: reversed {reversed_en} here, handed over {sent_en}",
    ),
    RefusalCode.PEER_REVERSED_APPLIED: (
        "消息 {message}：本实例已冲回，{peer} 却已接收（重复计算）",
        "message {message}: reversed here but applied by {peer} (counted twice)",
    ),
    RefusalCode.PEER_REVERSAL_EXISTS: (
        "消息 {message}：本实例状态为{status:term}，却有一笔冲回交易",
        "message {message}: {status} here but a reversal exists",
    ),
    RefusalCode.PEER_MESSAGE_LOST: (
        "消息 {message}：本实例已送达，{peer} 却没有这条消息（丢失）",
        "message {message}: delivered here, unknown to {peer} (lost)",
    ),
    RefusalCode.PEER_TOOK_DIFFERENT: (
        "消息 {message}：转出 {sent_zh}，{peer} 接收 {got_zh}",
        "message {message}: handed over {sent_en}, {peer} took in {got_en}",
    ),
    RefusalCode.PEER_NEVER_SENT: (
        "消息 {message}：{peer} 已接收，本实例却从未发出",
        "message {message}: applied by {peer}, never sent from here",
    ),
    RefusalCode.PEER_NOT_CONSERVED: (
        "{unit:term}：转出 {sent} ≠ 对方已接收 {received} + 在途 {in_flight} + 已冲回 {reversed}",
        "{unit}: sent {sent} ≠ received {received} + in flight {in_flight} + reversed {reversed}",
    ),
    RefusalCode.PEER_NO_ANSWER: (
        "对方实例 {peer} 没有应答：{error}",
        "peer {peer} did not answer: {error}",
    ),
    RefusalCode.PEER_KEY_IS_OWN: (
        "这是本实例自己的公钥（本机 {command} 显示的），不是 {region} 的：请填写对方实例运行 {command} 显示的公钥",
        "this is this instance's own public key ({command} here), not {region}'s: give the key {command} prints on"
        " the peer instance",
    ),
    RefusalCode.LEDGER_PERSON_BALANCE_DIFFERS: (
        "人员编号 {person} 在{region:place}的{kind:term}：余额 {balance} {unit:term}，记录为 {expected} {unit:term}",
        "{kind:term} of person key {person} at {region:place}: balance {balance}, records say {expected} (in"
        " {unit:term})",
    ),
    RefusalCode.LEDGER_PERSON_NEGATIVE_BALANCE: (
        "人员编号 {person} 在{region:place}的{kind:term}：余额为负（{balance} {unit:term}）",
        "{kind:term} of person key {person} at {region:place}: negative balance {balance} (in {unit:term})",
    ),
    RefusalCode.LEDGER_FUND_BALANCE_DIFFERS: (
        "{region:place}的{kind:term}：余额 {balance} {unit:term}，记录为 {expected} {unit:term}",
        "{kind:term} of {region:place}: balance {balance}, records say {expected} (in {unit:term})",
    ),
    RefusalCode.LEDGER_CLEARING_BALANCE_DIFFERS: (
        "{kind:term}，{debtor:place}应付{creditor:place}：余额 {balance} {unit:term}，记录为 {expected} {unit:term}",
        "{kind:term} owed by {debtor:place} to {creditor:place}: balance {balance}, records say {expected} (in"
        " {unit:term})",
    ),
    RefusalCode.PEER_URL_FORM: (
        "实例网址 {url} 不对：应为 http:// 或 https:// 加主机名（及端口），如 https://gd.example.gov.cn",
        "the peer's URL {url} must be http(s)://host[:port], e.g. https://gd.example.gov.cn",
    ),
    # a workbook whose first sheet is not the table, and sheets of the table left unread
    RefusalCode.SHEET_READ_NOT_FIRST: (
        "工作簿的第一个工作表「{first}」里没有{table_zh}的表头，已读取工作表「{sheet}」",
        "the workbook's first sheet, {first}, holds no header of this table ({table_en}): the sheet {sheet} was read",
    ),
    RefusalCode.SHEETS_NOT_READ: (
        "只读取了工作表「{sheet}」；工作簿中另有{table_zh}表头的工作表{others_zh}未读取：要用其中的行，请把它们复制到同一个"
        "工作表中再上传或导入",
        "only the sheet {sheet} was read, not the workbook's other sheets with this table's header ({table_en}):"
        " {others_en}; to use their rows, copy them into one sheet and load the file again",
    ),
    RefusalCode.PEER_REGION_UNKNOWN: (
        "地区代码 {code} 不在本系统的行政区划中：对方实例的地区应为省级代码（后四位为 0000），如 {example:place}",
        "region code {code} is not in this system's regions: a peer instance's region is a province's code (ending"
        " in 0000), e.g. {example:place}",
    ),
    RefusalCode.PEER_REGION_NOT_PROVINCE: (
        "{region:place} 不是省级地区：跨省通办按省登记对方实例（转移按目的城市所在省份送达），请填写 {province:place}",
        "{region:place} is not a province: a peer instance is registered for a province (a transfer goes to the"
        " instance of the destination city's province), give {province:place}",
    ),
    RefusalCode.PEER_REGION_IS_OWN: (
        "{region:place} 是本实例自己的地区（CHANGZHU_INSTANCE_REGION）：对方实例应为另一个省份",
        "{region:place} is this instance's own region (CHANGZHU_INSTANCE_REGION): a peer is another province's"
        " instance",
    ),
    RefusalCode.PEER_ALREADY_REGISTERED: (
        "{region:place} 已登记为对方实例（{old_url}，公钥指纹 {old_fingerprint}），未作更改；新给的是 {new_url}，"
        "公钥指纹 {new_fingerprint}：请先与对方操作员核对指纹；确要替换，请加 {replace} 并以 {as_option} 写明"
        "管理员的用户名，重新运行",
        "{region:place} is registered already ({old_url}, key fingerprint {old_fingerprint}), nothing changed; given"
        " {new_url}, key fingerprint {new_fingerprint}: check the fingerprint with the peer's operator; to replace"
        " it on purpose, run again with {replace} {as_option} ADMIN (an administrator's user name)",
    ),
    RefusalCode.PEER_REPLACE_NEEDS_AS: (
        "替换已信任的对方实例须记入审计日志：请以 {option} 写明管理员的用户名",
        "replacing a trusted peer is recorded in the audit log: give {option} ADMIN (an administrator's user name)",
    ),
    # one open application of a kind per person: a second one, or an appeal while another is open, names the open one
    RefusalCode.APPLICATION_ALREADY_OPEN: (
        "申请人已有一件{kind_zh}申请在办：编号 {application_id}，{submitted} 提交，当前状态「{status_zh}」。"
        "同一事项同时只办理一件，待该申请办结（批准、不予批准或终止办理）后才能再次申请",
        "the applicant already has an open application for {kind_en}: number {application_id}, submitted on"
        " {submitted}, now {status_en}; one application for a service is handled at a time, so a new one can be"
        " made once that one is decided or closed",
    ),
    RefusalCode.APPEAL_WHILE_ANOTHER_OPEN: (
        "申请人另有一件{kind_zh}申请在办：编号 {application_id}，{submitted} 提交，当前状态「{status_zh}」。"
        "同一事项同时只办理一件，待该申请办结后才能对本申请申请复核",
        "the applicant has another open application for {kind_en}: number {application_id}, submitted on"
        " {submitted}, now {status_en}; one application for a service is handled at a time, so this one can be"
        " appealed once that one is decided or closed",
    ),
}
PLACE = "place"  # the format spec of a region code shown with its name: {region:place}
ROLE = "role"  # the format spec of a role shown by its name: {role:role}
TERM = "term"  # the format spec of a word of the ledger's vocabulary (TERMS) shown in each language: {scheme:term}
TERMS: dict[str, tuple[str, str]] = {
    "pension": ("养老保险", "pension"),
    "medical": ("医疗保险", "medical"),
    "unemployment": ("失业保险", "unemployment"),
    "housing_wait": ("公租房轮候", "housing wait"),
    "employment": ("就业", "employment"),  # the kinds of proof of residence (ProofKind)
    "housing": ("住房", "housing"),
    "study": ("就学", "study"),
    "school": ("学籍", "school"),
    "vouchers": ("服务券", "vouchers"),
    "applied": ("已申请", "applied"),
    "completed": ("已完成", "completed"),
    "withdrawn": ("已撤回", "withdrawn"),  # a transfer application the person moved away from
    "pending": ("待审核", "pending"),
    "approved": ("已批准", "approved"),
    "rejected": ("已驳回", "rejected"),
    "queued": ("排队中", "queued"),
    "running": ("运行中", "running"),
    "done": ("已完成", "done"),
    "failed": ("失败", "failed"),
    "delivered": ("已送达", "delivered"),
    "reversed": ("已冲正", "reversed"),
    "disputed": ("有争议", "disputed"),
    "refused": ("被拒收", "refused"),
    "voucher": ("服务券", "a voucher"),
    "hospital_bill": ("医疗费用", "a hospital bill"),
    # a person-table column's type, as polars names it (an attribute's value that is not of it)
    "Boolean": ("是或否", "Boolean"),
    "Int32": ("整数", "Int32"),
    "Int64": ("整数", "Int64"),
    "Float64": ("数值", "Float64"),
    "String": ("文本", "String"),
    "Date": ("日期", "Date"),
    # the ledger's account kinds (accounts.py), units, voucher statuses and services: `ledger balances`, `voucher
    # list`, and the office's screens (domain.office_words generates its messages from here: tools/office_words.py)
    "pension_individual": ("养老保险个人账户", "pension individual account"),
    "pension_individual_temp": ("养老保险临时账户", "pension temporary account"),
    "pension_months": ("养老保险缴费月数", "pension months"),
    "pension_months_temp": ("养老保险临时缴费月数", "pension months (temporary)"),
    "medical_months": ("医疗保险缴费月数", "medical insurance months"),
    "medical_months_temp": ("医疗保险临时缴费月数", "medical insurance months (temporary)"),
    "unemployment_months": ("失业保险缴费月数", "unemployment insurance months"),
    "unemployment_months_temp": ("失业保险临时缴费月数", "unemployment insurance months (temporary)"),
    "housing_wait_months": ("公租房轮候月数", "public housing waiting months"),
    "school_years": ("学籍年数", "school years"),
    "F:pension_pooled": ("养老保险统筹基金", "pension pooled fund"),
    "F:medical": ("医疗保险基金", "medical insurance fund"),
    "F:services": ("公共服务资金", "public services fund"),
    "B:vouchers": ("服务券预算", "voucher budget"),
    "V:outstanding": ("已发放未使用的服务券", "vouchers issued, not yet redeemed"),
    "X:contributions": ("缴入的保险费（账外）", "contributions paid in (outside the ledger)"),
    "X:months": ("缴费月数来源（账外）", "months paid (outside the ledger)"),
    "X:school": ("学籍来源（账外）", "school years recorded (outside the ledger)"),
    "X:self_pay": ("个人自付（账外）", "paid by the person (outside the ledger)"),
    "X:interregion_fen": ("跨省转移的资金（账外）", "money moved with another province (outside the ledger)"),
    "X:interregion_periods": ("跨省转移的缴费月数（账外）", "months moved with another province (outside the ledger)"),
    "X:interregion_school": ("跨省转移的学籍（账外）", "school years moved with another province (outside the ledger)"),
    "C:medical": ("异地就医清算", "medical bills clearing"),
    "C:voucher": ("服务券清算", "voucher clearing"),
    "H": ("服务机构或医院", "service provider or hospital"),
    "fen": ("分", "fen"),
    "month": ("个月", "months"),
    "year": ("年", "years"),
    "issued": ("已发放", "issued"),
    "redeemed": ("已使用", "redeemed"),
    "cleared": ("已结算", "cleared"),
    "cancelled": ("已作废（跨省迁出时）", "cancelled (moved to another province)"),
    "vocational_training": ("职业技能培训", "vocational training"),
    "childcare": ("托育服务", "childcare"),
    "elderly_care": ("养老服务", "elderly care"),
    "health_checkup": ("健康体检", "health check-up"),
}
_NATIONAL = "000000"
_JOINERS = {Lang.ZH: "、", Lang.EN: ", "}
_LIST_JOINERS = {Lang.ZH: "、", Lang.EN: " or "}

# spec -> value -> (Chinese name, English name or None): the names a caller looked up for a refusal's place and role
# parameters (Refusal.named)
Names = dict[str, dict[str, tuple[str, str | None]]]


@cache
def template_fields(template: str) -> frozenset[str]:
    """The parameters a template names."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


@cache
def named_fields(template: str) -> frozenset[tuple[str, str]]:
    """(parameter, spec) of each parameter a template shows by its name ({region:place}, {role:role})."""
    return frozenset(
        (name, spec) for _, name, spec, _ in string.Formatter().parse(template) if name and spec in (PLACE, ROLE, TERM)
    )


class _Filler(string.Formatter):
    """str.format with the value of a named field already rendered (its spec says how it was)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        return str(value) if format_spec in (PLACE, ROLE, TERM) else super().format_field(value, format_spec)


_FILLER = _Filler()
_SPACE_AFTER_FIELD = re.compile(r"(\{(\w+):place\}) (?=[\u4e00-\u9fff])")  # a place field, a space, Chinese


def _named(value: str, spec: str, lang: Lang, names: Names) -> str:
    """One place ("成都市（510100）", "Chengdu (510100)", the code where no name is known), role or term (its name,
    else its value)."""
    if spec == TERM:
        return TERMS[value][0 if lang == Lang.ZH else 1] if value in TERMS else value
    if spec == PLACE and value == _NATIONAL:
        return with_code("全国" if lang == Lang.ZH else "the whole country", value, lang)
    found = names.get(spec, {}).get(value)
    if found is None:
        return value
    shown = found[0] if lang == Lang.ZH or not found[1] else found[1]
    return with_code(shown, value, lang) if spec == PLACE else shown


@dataclass(frozen=True)
class Refusal:
    """One reason a request, or a file's row, cell or header, is refused: its code and the parameters its templates
    name (each a value as text, or a list of values). Equal refusals are equal values; str() is the English."""

    code: RefusalCode
    params: tuple[tuple[str, Param], ...] = ()

    def __post_init__(self) -> None:
        wanted = template_fields(TEMPLATES[self.code][0]) | template_fields(TEMPLATES[self.code][1])
        given = {name for name, _ in self.params}
        if given != wanted:
            raise ValueError(f"refusal {self.code.value} takes {sorted(wanted)}, given {sorted(given)}")

    def text(self, lang: Lang, names: Names | None = None) -> str:
        """The reason in `lang`, its parameters filled in (places and roles by the `names` given)."""
        template = TEMPLATES[self.code][0 if lang == Lang.ZH else 1]
        specs = dict(named_fields(template))
        values: dict[str, str] = {}
        for key, value in self.params:
            items = (value,) if isinstance(value, str) else value
            if key in specs:
                values[key] = _JOINERS[lang].join(_named(v, specs[key], lang, names or {}) for v in items)
            else:
                values[key] = value if isinstance(value, str) else _LIST_JOINERS[lang].join(value)
        if lang == Lang.ZH:  # "成都市（510100）不在…": no space after a full-width bracket
            template = _SPACE_AFTER_FIELD.sub(lambda m: m[1] if values.get(m[2], "").endswith("）") else m[0], template)
        return _FILLER.format(template, **values)

    def named(self) -> dict[str, set[str]]:
        """The values a caller looks names up for, by spec (region codes under "place", roles under "role")."""
        wanted: dict[str, set[str]] = {}
        fields = named_fields(TEMPLATES[self.code][0]) | named_fields(TEMPLATES[self.code][1])
        params = dict(self.params)
        for key, spec in fields - {(k, TERM) for k, _ in self.params}:
            value = params[key]
            wanted.setdefault(spec, set()).update((value,) if isinstance(value, str) else value)
        return wanted

    @property
    def zh(self) -> str:
        """The reason in Chinese."""
        return self.text(Lang.ZH)

    @property
    def en(self) -> str:
        """The reason in English."""
        return self.text(Lang.EN)

    def __str__(self) -> str:
        return self.en

    def as_json(self) -> dict[str, object]:
        """The refusal as JSON values: {"code": ..., "params": {...}} (a list parameter as a list)."""
        return {"code": self.code.value, "params": {k: v if isinstance(v, str) else list(v) for k, v in self.params}}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Refusal:
        """The refusal `as_json` gave."""
        params = value["params"].items()
        return cls(RefusalCode(value["code"]), tuple((k, v if isinstance(v, str) else tuple(v)) for k, v in params))

    def encoded(self) -> str:
        """The refusal as one string (its JSON), for a column of reasons a reader computes in polars."""
        return json.dumps(self.as_json(), ensure_ascii=False)

    @classmethod
    def decoded(cls, text: str) -> Refusal:
        """The refusal `encoded` wrote."""
        return cls.from_json(json.loads(text))


def refusal(code: RefusalCode, /, **params: Param | int) -> Refusal:
    """A refusal of `code` with its parameters (numbers written as text)."""
    return Refusal(code, tuple((k, str(v) if isinstance(v, int) else v) for k, v in params.items()))


def listed(name: str, values: Iterable[object]) -> dict[str, str]:
    """A list parameter written out in each language: `{name}_zh` joined with 、 and `{name}_en` with ", " (not
    Python's ['a', 'b'] before a reader)."""
    shown = [str(v) for v in values]
    return {f"{name}_zh": "、".join(shown), f"{name}_en": ", ".join(shown)}


def either(name: str, values: Iterable[object]) -> dict[str, str]:
    """A list of alternatives written out in each language: `{name}_zh` "a、b 或 c", `{name}_en` "a, b or c"."""
    shown = [str(v) for v in values]
    if len(shown) < 2:
        return {f"{name}_zh": "".join(shown), f"{name}_en": "".join(shown)}
    return {
        f"{name}_zh": f"{'、'.join(shown[:-1])} 或 {shown[-1]}",
        f"{name}_en": f"{', '.join(shown[:-1])} or {shown[-1]}",
    }


def untranslated(text: str) -> Refusal:
    """An error's own message that no code names (see the module's docstring): shown as it came."""
    return refusal(RefusalCode.UNTRANSLATED, text=text)


def refusal_of(error: Exception) -> Refusal:
    """The refusal an error carries (its `refusal` attribute), else its message as UNTRANSLATED."""
    found = getattr(error, "refusal", None)
    return found if isinstance(found, Refusal) else untranslated(str(error))


def uncoded(text: str) -> Refusal:
    """An error's message that no code names: a message written "中文 / English" (or "中文／English") as its two
    halves, any other as it came (UNCODED)."""
    for cut in (" / ", "／"):
        zh, found, en = text.partition(cut)
        if found and any("\u4e00" <= c <= "\u9fff" for c in zh) and en.strip():
            return refusal(RefusalCode.IN_TWO_LANGUAGES, text_zh=zh.strip(), text_en=en.strip())
    return refusal(RefusalCode.UNCODED, text=text)


class CodedError(ChangzhuError):
    """An error whose reason is a Refusal (its message the English, `refusal` kept for a reader of either language);
    given a plain message, `refusal` is None and the API shows the message as it came (uncoded)."""

    refusal: Refusal | None = None

    def __init__(self, reason: str | Refusal) -> None:
        if isinstance(reason, Refusal):
            self.refusal = reason
        super().__init__(str(reason))


def reason_of(error: Exception) -> Refusal:
    """The refusal an error carries, else its message uncoded (`uncoded`): what the API shows of any error."""
    found = getattr(error, "refusal", None)
    return found if isinstance(found, Refusal) else uncoded(str(error))
