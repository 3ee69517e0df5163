"""Referral zones drawn as the manuals draw them, for figure/bodymap.json (used by :mod:`figure.draw`).

A zone is its regions (search reads them); painting those regions whole is right for most zones. Where it
misrepresents the manual's drawing (an arc over the eyebrow, a band across the forehead, a spot behind the
ear, a stripe down a limb, the upper trapezius "question mark" round the ear), the zone carries its own
outline here: our own drawing from the manuals' descriptions of the pattern, made of a few kinds of piece
placed on the figure's named landmarks (nothing traced, no figure copied):

- ``stroke``: a band of a given width along a smooth line through landmarks (arcs, bands, question marks);
- ``spot``: an ellipse at a landmark (behind the ear, the angle of the jaw);
- ``arm_band`` / ``leg_band``: a stripe down a limb between depths (or heights), at fractions of the
  limb's width that may drift along it (0 = the outer edge), so it follows the limb as a manual draws it.

``DRAWN_ZONES[trigger point][kind][view]`` lists the pieces of the zone on that view, in the drawing
coordinates of the view's viewer-left figure (the landmark lists of :mod:`figure.draw`; on the views whose
viewer-left figure is the patient's left they are mirrored, as ``SITE_HINTS`` are). Each piece is drawn as
one continuous area: :func:`figure.draw.drawn_zones` cuts it to the zone's regions and refuses a piece those
regions would break in two or cut away, so a stripe down the arm cannot have a gap at the elbow.
"""

from shapely.geometry import LineString
from shapely.geometry import Polygon

from figure.draw import ARM_ELBOW_BOTTOM
from figure.draw import ARM_ELBOW_TOP
from figure.draw import ARM_WRIST_BOTTOM
from figure.draw import ARM_WRIST_TOP
from figure.draw import SHOULDER_JOINT
from figure.draw import arm_hanging
from figure.draw import body_parts
from figure.draw import curve
from figure.draw import ellipse
from figure.draw import extent
from figure.draw import raised

ROW_SAMPLES = 8  # points per limb-band segment, per edge


def stroke(points, width):
    """A band of the given width along a smooth line through the points (round ends)."""
    return LineString(curve(points)).buffer(width / 2, quad_segs=8)


def spot(x, y, rx, ry=None, angle=0):
    """An ellipse centred at (x, y)."""
    return ellipse(x, y, rx, ry or rx, angle)


def band(limb, rows):
    """A stripe down a limb outline: rows of (height, f1, f2), fractions of the limb's width at that height
    (0 = its left edge, which is the outer edge of the viewer-left limb), joined by straight interpolation."""
    left, right = [], []
    for (y1, a1, b1), (y2, a2, b2) in zip(rows, rows[1:], strict=False):
        for i in range(ROW_SAMPLES + 1):
            t = i / ROW_SAMPLES
            y = y1 + (y2 - y1) * t
            edges = extent(limb, y)
            if edges is None:
                continue
            lo, hi = edges
            left.append((lo + (a1 + (a2 - a1) * t) * (hi - lo), y))
            right.append((lo + (b1 + (b2 - b1) * t) * (hi - lo), y))
    return Polygon(left + right[::-1]).buffer(0)


def arm_band(rows):
    """A stripe down the arm of the front or back view: rows of (depth below the shoulder joint, f1, f2)."""
    arm = arm_hanging()
    hanging = band(arm, [(SHOULDER_JOINT[1] + depth, f1, f2) for depth, f1, f2 in rows])
    return raised(hanging)


def leg_band(view, rows):
    """A stripe down the leg of the front or back view: rows of (height, f1, f2); 0 is the outer edge."""
    return band(body_parts(view)[3], rows)


# --- landmarks of the head view (the patient's right profile, facing right; see figure.draw PROFILE) --------------

MASTOID = (-11, 68)  # behind the ear
ANGLE_OF_JAW = (2, 85)
TEMPLE = (6, 34)
OUTER_BROW = (30, 40)
# The upper trapezius "question mark": up the back of the side of the neck, behind the ear, over it, to the temple.
QUESTION_MARK = [
    (-17, 146),
    (-15, 118),
    (-12, 94),
    (-10.5, 76),
    (-8.5, 62),
    (-7, 48),
    (-3, 39.5),
    (6, 33.5),
    (15, 34.5),
]
# From the temple forward over the eyebrow: behind the line where the temple meets the orbit, then over the brow.
TEMPLE_TO_BROW = [(2, 41), (10, 38.5), (17, 40), (21.5, 42)]
OVER_THE_EYEBROW = [(24, 43.5), (29.5, 40.6), (35.5, 39.6), (40.5, 40.6)]
MANDIBLE = [(-1, 80), (5, 88), (16, 93.5), (30, 96), (38, 95)]  # along the body of the lower jaw, angle to chin
BASE_OF_SKULL = [(-44, 72), (-32, 76), (-20, 76), (-10, 74)]
FOREHEAD_BAND = [(24, 30), (33, 25), (42, 27)]


DRAWN_ZONES = {
    "upper-trapezius-anterior": {
        "essential": {"head": [stroke(QUESTION_MARK[:3], 12) | stroke(QUESTION_MARK[2:], 8) | spot(15, 37, 7, 8)]},
        "spillover": {
            "head": [spot(*ANGLE_OF_JAW, 5.5, 5), spot(27, 45, 4, 5.5), stroke([(-30, 70), (-20, 70)], 9)],
        },
    },
    "masseter-superficial-lower": {
        "essential": {"head": [stroke(MANDIBLE, 8), stroke(TEMPLE_TO_BROW, 6)]},
        "spillover": {"head": [stroke(OVER_THE_EYEBROW, 5)]},
    },
    "infraspinatus-central": {
        "essential": {"front": [spot(-86, 172, 7, 12)]},
        "spillover": {
            "front": [
                arm_band(
                    [
                        (-4, 0.0, 0.4),
                        (60, 0.0, 0.55),
                        (ARM_ELBOW_TOP, 0.0, 0.55),
                        (ARM_ELBOW_BOTTOM, 0.0, 0.5),
                        (ARM_WRIST_TOP, 0.0, 0.45),
                        (ARM_WRIST_BOTTOM - 4, 0.0, 0.4),
                    ]
                )
            ],
        },
    },
}
