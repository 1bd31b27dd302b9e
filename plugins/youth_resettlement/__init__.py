"""Youth offending services, resettlement: standard 4.1, judged with illustrative cases.

Edition ``youth-2021``. The resettlement standard is judged mainly on qualitative evidence
(documents and meetings); a sample of resettlement cases illustrates how far local provision
and practice meet it, and those cases are not separately rated (seed 004, Youth offending
inspection: Resettlement case assessment guidance (CAG) v1.2, January 2022, opening
paragraph). With no case left in the sample the standard is "not rated".

``standards.toml`` holds the CAG's case questions as two information sections, "Information
about the child" (``4.1.child``) and "Resettlement work" (``4.1.work``), and the CAG's
looked-after-child rule as an exclusion: a looked-after child whose inspected YOT is not the
home YOT and has not taken responsibility for assessing the child is left out of the sample.
That rule needs the two case attributes declared here.
"""

from pathlib import Path

from hmip_inspect.core import Attribute, hookimpl

ATTRIBUTES = (
    Attribute(
        name="home_yot",
        description="Whether the inspected YOT is the child's home YOT (rather than a host YOT "
        "for a looked-after child placed in its area)",
        values=("yes", "no"),
    ),
    Attribute(
        name="assessment_responsibility",
        description="Whether the inspected YOT took responsibility for assessing the child",
        values=("yes", "no"),
    ),
)


@hookimpl
def hmip_catalogues() -> list[Path]:
    return [Path(__file__).with_name("standards.toml")]


@hookimpl
def hmip_case_attributes() -> tuple[Attribute, ...]:
    return ATTRIBUTES
