"""A practitioner's session plan, assembled from the reference data: :mod:`plan.session` turns a choice of
muscles, points, sides and components into the plan and the patient handout; :mod:`plan.screen` says what each
"yes" on the contraindication screen does to it. Nothing about the patient is stored.
"""

NEEDLING = ("dry_needling", "ims")
COMPONENTS = {
    "manual_pressure": "Manual pressure release",
    "stretch": "Stretch",
    "heat": "Heat",
    "self_care": "Self-care programme",
    "dry_needling": "Trigger-point dry needling",
    "ims": "Gunn intramuscular stimulation (IMS)",
    "chiropractic_adjustment": "Chiropractic adjustment of related segments",
}
SEGMENTAL = "chiropractic_adjustment"  # given to spinal segments, not to trigger points
SIDES = ("left", "right")
# The size of one plan: a long session treats a handful of muscles, and a plan of all of them took seconds to make.
MAX_MUSCLES = 20
MAX_POINTS = 40  # trigger points ticked; a point on both sides counts twice
