"""Pure indicator arithmetic for NAP 1325 plans (DESIGN.md §5). No Django here.

All quantities are :class:`decimal.Decimal`, kept at full precision and rounded half-up
only for display. Modules:

* :mod:`.decimals` — context-independent exact Decimal arithmetic;
* :mod:`.errors` — field errors (:class:`MeasurementError`);
* :mod:`.rounding` — display rounding (``"63 %"``, ``"0.61"``);
* :mod:`.parsing` — reading typed numbers;
* :mod:`.percentages` — numerator/denominator shares and pooling;
* :mod:`.values` — periods, measures and reported values;
* :mod:`.aggregation` — values over time and across reporters;
* :mod:`.achievement` — achievement, target to date, status and summaries;
* :mod:`.breakdowns` — breakdown tables, completeness, share of women;
* :mod:`.rollup` — roll-up of action progress to results.
"""

from .achievement import (
    Achievement,
    IndicatorAssessment,
    NotApplicable,
    Status,
    StatusSummary,
    achievement,
    count_text,
    numeric_status,
    plan_share_elapsed,
    stage_status,
    summarise,
    target_to_date,
    yes_no_status,
)
from .aggregation import (
    Aggregate,
    across_reporters,
    combine,
    latest_reported,
    national_to_date,
    reported_history,
    reporters_in_period,
    to_date,
    value_for_period,
)
from .breakdowns import (
    MEN,
    SEX,
    WOMEN,
    Breakdown,
    BreakdownTable,
    Category,
    CombinedBreakdown,
    Dimension,
    WomenShare,
    combine_tables,
    women_share,
    women_share_by_category,
)
from .decimals import decimal_sum, quotient
from .errors import FieldError, MeasurementError
from .parsing import parse_decimal, parse_localised_decimal
from .percentages import Ratio, parse_ratio, percent_of, pool_ratios, ratio_errors
from .rollup import Progress, ProgressSums, Rollup, roll_up, roll_up_sums
from .rounding import display, percent_display, plain
from .values import (
    NOT_REPORTED,
    Entry,
    Measure,
    NoData,
    Numeric,
    Period,
    PeriodValue,
    Reported,
    StageReached,
    TimeAggregation,
    YesNo,
    describe,
)

__all__ = [
    "MEN",
    "NOT_REPORTED",
    "SEX",
    "WOMEN",
    "Achievement",
    "Aggregate",
    "Breakdown",
    "BreakdownTable",
    "Category",
    "CombinedBreakdown",
    "Dimension",
    "Entry",
    "FieldError",
    "IndicatorAssessment",
    "Measure",
    "MeasurementError",
    "NoData",
    "NotApplicable",
    "Numeric",
    "Period",
    "PeriodValue",
    "Progress",
    "ProgressSums",
    "Ratio",
    "Reported",
    "Rollup",
    "StageReached",
    "Status",
    "StatusSummary",
    "TimeAggregation",
    "WomenShare",
    "YesNo",
    "achievement",
    "across_reporters",
    "combine",
    "combine_tables",
    "count_text",
    "decimal_sum",
    "describe",
    "display",
    "latest_reported",
    "national_to_date",
    "numeric_status",
    "parse_decimal",
    "parse_localised_decimal",
    "parse_ratio",
    "percent_display",
    "percent_of",
    "plain",
    "plan_share_elapsed",
    "pool_ratios",
    "quotient",
    "ratio_errors",
    "reported_history",
    "reporters_in_period",
    "roll_up",
    "roll_up_sums",
    "stage_status",
    "summarise",
    "target_to_date",
    "to_date",
    "value_for_period",
    "women_share",
    "women_share_by_category",
    "yes_no_status",
]
