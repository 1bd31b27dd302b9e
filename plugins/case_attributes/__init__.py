"""Built-in plugin: the case attributes of the inspection data layout.

``disposal`` and ``rosh`` are closed vocabularies because applicability rules depend on
them; ``gender`` is recorded for sub-group findings and accepts any value. Plugins may
declare more attributes through the same hook.
"""

from __future__ import annotations

from hmip_inspect.core import Attribute, hookimpl

ATTRIBUTES = (
    Attribute(
        name="disposal",
        # "upw-only" follows seed 001: "unpaid work only cases" are unpaid work alone or
        # combined with non-rehabilitative requirements (curfew, exclusion, prohibition), and
        # the "*" rule also covers "other cases with no rehabilitative requirements".
        # AMBIGUITY: whether such cases without unpaid work are in the inspected sample at all
        # (seed 001's introduction lists only unpaid-work cases); record them as upw-only.
        description="Type of disposal: community sentence, post-custody licence or "
        "post-sentence supervision, or upw-only: a community sentence with no rehabilitative "
        "requirements (unpaid work alone or with curfew, exclusion or prohibition, or other "
        "requirements without rehabilitative content)",
        values=("community", "post-custody", "upw-only"),
    ),
    Attribute(
        name="rosh",
        description="Risk of serious harm to others as judged by the inspector "
        "(not necessarily as assessed by the provider)",
        values=("low", "medium", "high", "very-high"),
    ),
    Attribute(name="gender", description="Gender of the person on probation"),
)


@hookimpl
def hmip_case_attributes() -> tuple[Attribute, ...]:
    return ATTRIBUTES
