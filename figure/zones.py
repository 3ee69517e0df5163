"""Referral zones drawn as the manuals draw them, for figure/bodymap.json (used by :mod:`figure.draw`).

A zone is its regions (search reads them); painting those regions whole is right for most zones. Where it
misrepresents the manual's drawing (an arc over the eyebrow, a band across the forehead, a spot behind the
ear, a stripe down a limb, the upper trapezius "question mark" round the ear), the zone carries its own
outline here: our own drawing from the manuals' descriptions of the pattern, made of a few kinds of piece
placed on the figure's named landmarks (nothing traced, no figure copied):

- ``stroke``: a band of a given width along a smooth line through landmarks (arcs, bands, question marks);
- ``spot``: an ellipse at a landmark (behind the ear, the angle of the jaw);
- ``arm_band`` / ``leg_band``: a stripe down a limb between depths (or heights), at fractions of the
  limb's width that may drift along it (0 = the outer edge), so it follows the limb as a manual draws it;
- a region's id: that region whole, where the zone fills it (a piece may be a tuple of several of these).

``DRAWN_ZONES[trigger point][kind][view]`` lists the pieces of the zone on that view, in the drawing
coordinates of the view's viewer-left figure (the landmark lists of :mod:`figure.draw`; on the views whose
viewer-left figure is the patient's left they are mirrored, as ``SITE_HINTS`` are). Each piece is drawn as
one continuous area: :func:`figure.draw.drawn_zones` cuts it to the zone's regions and refuses a piece those
regions would break in two or cut away, so a stripe down the arm cannot have a gap at the elbow.
"""

from shapely.geometry import LineString
from shapely.geometry import Polygon
from shapely.geometry import box
from shapely.ops import unary_union

from figure.draw import ARM_ELBOW_BOTTOM
from figure.draw import ARM_ELBOW_TOP
from figure.draw import ARM_WRIST_BOTTOM
from figure.draw import ARM_WRIST_TOP
from figure.draw import FINGERS
from figure.draw import SHOULDER_JOINT
from figure.draw import arm_hanging
from figure.draw import body_parts
from figure.draw import capsule
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


def fan(origin, tips, width):
    """Streaks spreading from one point to several (the way temporalis pain fans over the temple)."""
    return unary_union([stroke([origin, tip], width) for tip in tips])


# --- landmarks of the head view (the patient's right profile, facing right; see figure.draw PROFILE) --------------

MASTOID = (-11, 68.5)  # behind the ear
EAR_CANAL = (-1, 57)
ANGLE_OF_JAW = (2, 85)
VERTEX = (-6, 5)
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
IN_THE_ORBIT = (34, 47, 5, 4)
MALAR = (30, 61, 7.5, 5)  # over the cheekbone and the maxilla, behind the nose
MANDIBLE = [(-1, 80), (5, 88), (16, 93.5), (30, 96), (38, 95)]  # along the body of the lower jaw, angle to chin
UPPER_FRONT_TEETH = (42, 75, 4.5, 2.8)
UPPER_SIDE_TEETH = (35, 75, 4.5, 2.8)  # canine and premolars
UPPER_MOLARS = (28.5, 76.5, 4.5, 3)
LOWER_MOLARS = (29, 83.5, 4.5, 3)
LOWER_FRONT_TEETH = (41, 83.5, 4.5, 2.8)
ACROSS_THE_FOREHEAD = [(24, 31), (32, 26), (41, 27)]
ABOVE_THE_EAR_BACKWARD = [(1, 38), (-7, 32), (-17, 28.5), (-28, 30)]  # posterior temporalis streaks up and back
OCCIPUT_TO_TEMPLE = [(-38, 62), (-28, 48), (-14, 36), (0, 34), (14, 38)]  # a band round the side, above the ear
ALONG_THE_NOSE = [(44, 68), (45.5, 60), (43.5, 50), (42, 44)]  # from beside the mouth up beside the nose
UPPER_THROAT = (11, 120, 5.5, 4)

# --- landmarks of the whole body (front and back views; the viewer-left half, see figure.draw) ------------------

ACROMION = (-66, 153)  # the outer end of the top of the shoulder, inside the point of the acromion
# Just inside the inner border of the shoulder blade (between the shoulder blades), top to bottom.
SCAPULA_MEDIAL_BORDER = [(-29, 178), (-30, 200), (-33, 224), (-38, 248)]
SUPRASPINOUS = (-58, 178)  # above the spine of the shoulder blade
DELTOID_MIDDLE = (-102, 186)  # the middle of the shoulder cap, from the side
PECTORAL = [(-34, 166), (-42, 186), (-46, 210)]  # streaks over the upper chest
# Stripes down the arm as rows of (depth, from, to): fractions of the arm's width from its outer edge.
ARM_FRONT_OUTER = [(-4, 0.0, 0.4), (60, 0.0, 0.55), (ARM_ELBOW_TOP, 0.0, 0.55), (ARM_ELBOW_BOTTOM, 0.0, 0.5)]
RADIAL_FOREARM = [(ARM_ELBOW_BOTTOM + 3, 0.0, 0.5), (ARM_WRIST_TOP - 3, 0.0, 0.45)]
RADIAL_WRIST_FRONT = [(ARM_WRIST_TOP, 0.0, 0.45), (ARM_WRIST_BOTTOM - 4, 0.0, 0.4)]
ULNAR_FOREARM = [(ARM_ELBOW_BOTTOM + 4, 0.55, 1.0), (ARM_WRIST_TOP - 3, 0.6, 1.0)]
INNER_ARM = [(68, 0.7, 1.0), (ARM_ELBOW_TOP - 4, 0.72, 1.0)]
BACK_INNER_ARM = [(68, 0.8, 1.0), (ARM_ELBOW_TOP - 4, 0.8, 1.0)]  # the inner strip seen from behind
BACK_OUTER_ARM = [(62, 0.0, 0.2), (ARM_ELBOW_TOP - 4, 0.0, 0.2)]
INNER_ARM_TO_WRIST = [
    (64, 0.7, 1.0),
    (ARM_ELBOW_TOP, 0.7, 1.0),
    (ARM_ELBOW_BOTTOM, 0.55, 1.0),
    (ARM_WRIST_TOP - 3, 0.6, 1.0),
]

# --- landmarks of the foot views (a foot drawn toes up, the big toe at positive x; see figure.draw FOOT) --------

INSTEP = (24, 150, 12, 26)  # the inner arch of the sole
OUTER_HEEL = (-16, 214, 10, 18)
INNER_HEEL = (14, 214, 10, 18)
INNER_DORSUM = [(16, 175), (18, 120), (24, 70)]  # along the top of the foot to the big toe

# --- landmarks of the hand views (the hand drawn fingers up, the thumb side at negative x; see figure.draw) --------

FINGER_NAMES = ("index", "middle", "ring", "little")  # the order of figure.draw FINGERS
KNUCKLES_BEHIND = 10  # seen from the back, a finger reaches this much further toward the wrist (the knuckles)


def fingers(view, *names):
    """The fingers named (index, middle, ring, little) on a hand view as the figure draws them, one piece each."""
    behind = KNUCKLES_BEHIND if view == "hand-back" else 0
    return [
        capsule((base[0], base[1] + behind), tip, width)
        for name, (base, tip, width) in zip(FINGER_NAMES, FINGERS, strict=True)
        if name in names
    ]


FINGER_BASE = {"hand-palm": 100, "hand-back": 112}  # a little above where the fingers meet the hand


def hand_strip(view, x1, x2, wrist=False):
    """A strip of the palm or the back of the hand between x1 and x2 (thumb side negative); of the wrist with
    ``wrist``."""
    return box(x1, 182, x2, 240) if wrist else box(x1, FINGER_BASE[view], x2, 182)


RADIAL_HAND = box(-70, 122, -4, 182)  # the thumb side of the palm or the back of the hand
RADIAL_WRIST = box(-70, 182, -4, 240)
RADIAL_HAND_BACK = spot(-30, 150, 20, 28)  # the thumb side of the back of the hand
ULNAR_HAND = box(6, 100, 60, 182)
ULNAR_FINGERS = box(6, -20, 60, 108)  # ring and little fingers
MIDDLE_FINGER = box(-15, -20, 5, 108)
INDEX_FINGER = box(-42, -20, -15, 124)
THUMB_BASE = (-52, 138, 7, 11, 20)  # the base of the thumb
THUMB_WEB = (-36, 132, 7, 8)
CHIN = (34, 95, 6, 4)


DRAWN_ZONES = {
    # --- head ---------------------------------------------------------------------------------------------------
    # Temporalis: streaks fanning up over the temple from each point, and the upper teeth below it; the front
    # fibres also along the eyebrow.
    "temporalis-anterior": {
        "essential": {
            "head": [
                fan((18.5, 45), [(13, 24), (17.5, 26), (19.5, 32)], 6.5),
                stroke(OVER_THE_EYEBROW, 5),
                spot(*UPPER_FRONT_TEETH),
            ]
        },
        "spillover": {"head": [spot(31, 32, 6, 4)]},
    },
    "temporalis-middle": {
        "essential": {"head": [fan((9, 46), [(1, 24), (8, 22.5), (15, 25)], 6.5), spot(*UPPER_SIDE_TEETH)]},
        "spillover": {"head": [spot(*MALAR), spot(13, 58, 5, 6)]},
    },
    "temporalis-middle-rear": {
        "essential": {"head": [fan((6, 42), [(-4, 25), (2, 23), (9, 24)], 6.5), spot(*UPPER_MOLARS)]},
        "spillover": {"head": [spot(26, 62, 6, 5), spot(13, 58, 5, 6)]},
    },
    "temporalis-posterior": {"essential": {"head": [stroke(ABOVE_THE_EAR_BACKWARD, 9)]}},
    # Masseter: the upper superficial part to the maxilla and upper molars; the middle to the lower molars and
    # the jaw; the lower part to the jaw and in an arc over the temple and eyebrow; the deep part deep in the ear.
    "masseter-superficial-upper": {"essential": {"head": [spot(*MALAR), spot(31, 76, 7, 3.2)]}},
    "masseter-superficial-middle": {"essential": {"head": [spot(*LOWER_MOLARS), stroke(MANDIBLE[1:4], 8)]}},
    "masseter-superficial-lower": {
        "essential": {"head": [stroke(MANDIBLE, 8), stroke(TEMPLE_TO_BROW, 6)]},
        "spillover": {"head": [stroke(OVER_THE_EYEBROW, 5)]},
    },
    "masseter-deep": {"essential": {"head": [spot(*EAR_CANAL, 4.5, 6), spot(13, 56, 6, 7.5)]}},
    "medial-pterygoid-central": {
        "essential": {"head": [spot(*UPPER_THROAT), spot(12, 56, 5, 7), spot(*EAR_CANAL, 4, 5)]},
        "spillover": {"head": [spot(4, 80, 6, 6)]},
    },
    "lateral-pterygoid-inferior": {
        "essential": {"head": [spot(13, 56, 6.5, 8), spot(*MALAR)]},
        "spillover": {"head": [spot(*EAR_CANAL, 4, 5)]},
    },
    "lateral-pterygoid-superior": {
        "essential": {"head": [spot(13, 56, 6.5, 8), spot(*MALAR)]},
        "spillover": {"head": [spot(*EAR_CANAL, 4, 5)]},
    },
    # Digastric: the back belly to the upper side of the neck below the mastoid and behind the ear; the front
    # belly to the lower front teeth and the ridge below them.
    "digastric-posterior": {
        "essential": {"head": [spot(*MASTOID, 5.5, 6.5) | stroke([(-10, 74), (-8, 90), (-6, 102)], 9)]},
        "spillover": {"head": [spot(-24, 66, 7, 6), spot(*UPPER_THROAT), spot(8, 106, 4.5, 5)]},
    },
    "digastric-anterior": {
        "essential": {"head": [spot(*LOWER_FRONT_TEETH), spot(37, 94, 6, 4.5)]},
        "spillover": {"head": [spot(*UPPER_THROAT)]},
    },
    "mylohyoid-central": {"essential": {"head": [spot(*UPPER_THROAT)]}, "spillover": {"head": [spot(*CHIN)]}},
    # Occipitalis: the back of the head, and through the head to behind the eye.
    "occipitofrontalis-occipitalis": {
        "essential": {"head": [spot(-30, 52, 9, 12), spot(*IN_THE_ORBIT)]},
        "spillover": {"head": [spot(-14, 12, 10, 5)]},
    },
    # Orbicularis oculi: over the eyebrow and down beside the nose toward the upper lip.
    "orbicularis-oculi-upper": {"essential": {"head": [stroke([*OVER_THE_EYEBROW[1:], *ALONG_THE_NOSE[::-1]], 4.5)]}},
    "superior-oblique-trochlear": {
        "essential": {"head": [spot(37, 44, 4, 4.5)]},
        "spillover": {"head": [spot(36, 30, 6, 6)]},
    },
    # Zygomaticus major: from the corner of the mouth up beside the nose to the middle of the forehead.
    "zygomaticus-major-central": {
        "essential": {
            "head": [
                stroke([(43, 69.5), (45.5, 60), (43.5, 50)], 5)
                | stroke([(43.5, 50), (42, 44), (43, 38)], 2.6)
                | stroke([(42.5, 36), (39.5, 30), (36, 25)], 5)
            ]
        }
    },
    "buccinator-central": {
        "essential": {"head": [spot(30, 64, 7, 5.5)]},
        "spillover": {"head": [spot(30, 76.5, 6, 2.8)]},
    },
    "platysma-lower-neck": {"essential": {"head": [stroke(MANDIBLE[:4], 8), spot(24, 67, 7, 4.5)]}},
    "corrugator-supercilii-medial": {
        "essential": {"head": [spot(36, 30.5, 5, 5.5)]},
        "spillover": {"head": [spot(39, 41, 3.5, 3)]},
    },
    # --- neck ---------------------------------------------------------------------------------------------------
    # Sternocleidomastoid, sternal division: the lower end down over the top of the breastbone; the middle
    # across the cheek, round and deep in the eye (the throat and brow less); the upper end to the ridge at
    # the back of the skull and the crown. The clavicular division: across the forehead and deep in and
    # behind the ear.
    "sternocleidomastoid-sternal-lower": {
        "essential": {"front": [stroke([(0, 152), (0, 196)], 16)]},
        "spillover": {"front": [spot(-21, 170, 7, 11)]},
    },
    "sternocleidomastoid-sternal-middle": {
        "essential": {"head": [("eye", spot(*MALAR))]},
        "spillover": {"head": [spot(36, 31, 5.5, 4), spot(*UPPER_THROAT)]},
    },
    "sternocleidomastoid-sternal-upper": {
        "essential": {"head": [spot(*VERTEX, 13, 6), stroke([(-19, 70), (-28, 70), (-38, 67)], 7)]},
        "spillover": {"head": [spot(31, 33, 5, 4), spot(6, 32, 5, 6)]},
    },
    "sternocleidomastoid-clavicular": {
        "essential": {"head": [stroke(ACROSS_THE_FOREHEAD, 8), stroke([EAR_CANAL, (-6, 62), MASTOID], 7)]},
        "spillover": {"head": [spot(27, 62, 5, 4.5), spot(*UPPER_MOLARS)]},
    },
    "sternocleidomastoid-clavicular-upper": {"essential": {"head": [stroke([EAR_CANAL, (-6, 62), MASTOID], 7)]}},
    # Splenius capitis: the crown on the same side. Splenius cervicis: through the head to behind the eye.
    "splenius-capitis-upper": {"essential": {"head": [spot(*VERTEX, 13, 6)]}},
    "splenius-cervicis-upper": {
        "essential": {"head": [spot(*IN_THE_ORBIT)]},
        "spillover": {"head": [stroke(OCCIPUT_TO_TEMPLE, 6)]},
    },
    "splenius-cervicis-lower": {"essential": {"back": [stroke([(-12, 124), (-24, 140), (-40, 148)], 13)]}},
    # Semispinalis capitis: a band round the side of the head, worst at the temple and over the eye.
    "semispinalis-capitis-upper": {
        "essential": {"head": [stroke(TEMPLE_TO_BROW, 7), stroke(OVER_THE_EYEBROW, 5)]},
        "spillover": {"head": [stroke(OCCIPUT_TO_TEMPLE[:3], 7), spot(31, 33, 5, 4)]},
    },
    "semispinalis-capitis-middle": {
        "essential": {"head": [spot(-28, 62, 9, 11)]},
        "spillover": {"head": [spot(-14, 12, 10, 5)]},
    },
    # Suboccipitals: from the back of the head forward round the side to the temple and the eye.
    "suboccipitals-central": {
        "essential": {"head": [stroke(OCCIPUT_TO_TEMPLE, 8)]},
        "spillover": {"head": [stroke(OVER_THE_EYEBROW, 5), spot(31, 33, 5, 4)]},
    },
    # Upper trapezius: the "question mark" up the side of the neck, behind and over the ear to the temple.
    "upper-trapezius-anterior": {
        "essential": {"head": [stroke(QUESTION_MARK[:3], 12) | stroke(QUESTION_MARK[2:], 8) | spot(15, 37, 7, 8)]},
        "spillover": {"head": [spot(*ANGLE_OF_JAW, 5.5, 5), spot(27, 45, 4, 5.5), stroke([(-30, 70), (-20, 70)], 9)]},
    },
    "upper-trapezius-posterior": {
        "essential": {"head": [stroke([(-22, 140), (-24, 110), (-24, 86), (-20, 74), (-14, 66)], 11)]},
        "spillover": {"head": [spot(*MASTOID, 5.5, 6.5)]},
    },
    # --- shoulder -----------------------------------------------------------------------------------------------
    # Trapezius, middle and lower fibres, levator scapulae and rhomboids: along the inner border of the
    # shoulder blade, at the top of the shoulder, and up the back of the neck, not the whole of each region.
    "middle-trapezius-medial": {
        "essential": {"back": [stroke([(-8, 196), (-26, 198)], 13)]},
        "spillover": {"back": [spot(-16, 172, 7, 4)]},
    },
    "middle-trapezius-acromial": {"essential": {"back": [spot(*ACROMION, 12, 6)]}},
    "lower-trapezius-central": {
        "essential": {
            "back": [spot(*ACROMION, 12, 6), stroke([(-10, 108), (-12, 130)], 10)],
            "head": [stroke([(-26, 82), (-24, 104), (-22, 130)], 11)],
        },
        "spillover": {"back": [spot(*SUPRASPINOUS, 12, 6)], "head": [spot(*MASTOID, 5.5, 6.5)]},
    },
    "lower-trapezius-attachment": {
        "essential": {"back": [stroke(SCAPULA_MEDIAL_BORDER[:3], 11)]},
        "spillover": {"back": [spot(-50, 196, 8, 12)]},
    },
    "levator-scapulae-upper": {
        "essential": {"back": [stroke([(-16, 118), (-24, 138), (-34, 149)], 12)]},
        "spillover": {
            "back": [stroke(SCAPULA_MEDIAL_BORDER[:3], 9), spot(-92, 170, 9, 12)],
        },
    },
    "levator-scapulae-lower": {
        "essential": {"back": [stroke([(-16, 118), (-24, 138), (-34, 149)], 12)]},
        "spillover": {"back": [stroke(SCAPULA_MEDIAL_BORDER[:3], 9), spot(-92, 170, 9, 12)]},
    },
    "rhomboid-major-upper": {
        "essential": {"back": [stroke(SCAPULA_MEDIAL_BORDER, 12)]},
        "spillover": {"back": [spot(*SUPRASPINOUS, 12, 6)]},
    },
    "rhomboid-major-lower": {
        "essential": {"back": [stroke(SCAPULA_MEDIAL_BORDER, 12)]},
        "spillover": {"back": [spot(*SUPRASPINOUS, 12, 6)]},
    },
    "rhomboid-minor-central": {
        "essential": {"back": [stroke(SCAPULA_MEDIAL_BORDER[:3], 12)]},
        "spillover": {"back": [spot(*SUPRASPINOUS, 12, 6), spot(-22, 166, 6, 5)]},
    },
    # Supraspinatus: deep in the middle of the shoulder cap and at the outer elbow, the outer arm between,
    # and less down the back of the forearm.
    "supraspinatus-belly": {
        "essential": {
            "front": [
                arm_band([(4, 0.0, 0.33), (56, 0.0, 0.3)]),
                arm_band([(ARM_ELBOW_TOP, 0.0, 0.4), (ARM_ELBOW_BOTTOM, 0.0, 0.35)]),
            ]
        },
        "spillover": {"back": [arm_band(RADIAL_FOREARM), arm_band(BACK_OUTER_ARM)]},
    },
    "supraspinatus-lateral": {
        "essential": {
            "front": [
                arm_band([(4, 0.0, 0.33), (56, 0.0, 0.3)]),
                arm_band([(ARM_ELBOW_TOP, 0.0, 0.4), (ARM_ELBOW_BOTTOM, 0.0, 0.35)]),
            ]
        },
        "spillover": {"back": [arm_band(RADIAL_FOREARM), arm_band(BACK_OUTER_ARM)]},
    },
    # Infraspinatus: deep in the front of the shoulder, then down the front and outer arm and the thumb side
    # of the forearm into the thumb side of the hand.
    "infraspinatus-central": {
        "essential": {"front": [spot(-86, 172, 7, 12)]},
        "spillover": {
            "front": [arm_band(ARM_FRONT_OUTER + RADIAL_FOREARM[1:] + RADIAL_WRIST_FRONT)],
            "hand-palm": ["thumb", RADIAL_WRIST],
            "hand-back": [("thumb", RADIAL_HAND_BACK)],
        },
    },
    "infraspinatus-lower-lateral": {
        "essential": {"front": [spot(-86, 172, 7, 12)]},
        "spillover": {
            "front": [arm_band(ARM_FRONT_OUTER + RADIAL_FOREARM[1:] + RADIAL_WRIST_FRONT)],
            "hand-palm": ["thumb", RADIAL_WRIST],
            "hand-back": [("thumb", RADIAL_HAND_BACK)],
        },
    },
    # Latissimus dorsi: round the lower tip of the shoulder blade, then the back of the shoulder and down the
    # inner arm and forearm to the ring and little fingers.
    "latissimus-dorsi-axillary": {
        "essential": {"back": [spot(-54, 238, 10, 13)]},
        "spillover": {
            "back": [spot(-50, 282, 12, 10), spot(-96, 182, 8, 12), arm_band(BACK_INNER_ARM)],
            "front": [arm_band(INNER_ARM), arm_band(ULNAR_FOREARM)],
            "hand-palm": [ULNAR_FINGERS],
        },
    },
    # Serratus anterior: the side of the chest round the point, the inner arm to the ring and little fingers,
    # and a spot beside the lower tip of the shoulder blade.
    "serratus-anterior-midaxillary": {
        "essential": {"front": [spot(-62, 226, 9, 16)]},
        "spillover": {
            "front": [arm_band(INNER_ARM), arm_band(ULNAR_FOREARM), arm_band([(30, 0.75, 1.0), (58, 0.75, 1.0)])],
            "back": [spot(-36, 248, 6, 9), arm_band(BACK_INNER_ARM)],
            "hand-palm": [ULNAR_HAND | ULNAR_FINGERS],
        },
    },
    # --- arm ----------------------------------------------------------------------------------------------------
    "brachialis-distal": {
        "essential": {"hand-back": [spot(*THUMB_BASE)], "hand-palm": [spot(*THUMB_BASE)]},
        "spillover": {"hand-back": [spot(*THUMB_WEB)]},
    },
    "brachialis-proximal": {"essential": {"hand-back": [spot(*THUMB_BASE)], "hand-palm": [spot(*THUMB_BASE)]}},
    "coracobrachialis-upper": {
        "spillover": {"hand-back": [fingers("hand-back", "middle")[0] | hand_strip("hand-back", -15, 4.5)]}
    },
    "triceps-brachii-lateral-head": {"spillover": {"hand-back": fingers("hand-back", "ring", "little")}},
    "triceps-brachii-medial-border": {"spillover": {"hand-palm": fingers("hand-palm", "ring", "little")}},
    # --- forearm and hand: each to its own side of the wrist and hand and its own fingers ----------------------
    "brachioradialis-central": {
        "essential": {"hand-back": [stroke([(-50, 146), (-36, 133)], 11)], "hand-palm": [spot(*THUMB_BASE)]},
        "spillover": {"back": [arm_band(RADIAL_FOREARM)], "hand-back": [hand_strip("hand-back", -40, -8, wrist=True)]},
    },
    "extensor-carpi-radialis-longus-upper": {
        "essential": {"hand-back": [spot(-22, 152, 14, 22)]},
        "spillover": {
            "back": [arm_band(RADIAL_FOREARM)],
            "hand-back": ["thumb", hand_strip("hand-back", -40, -8, wrist=True)],
        },
    },
    "extensor-carpi-radialis-brevis-central": {"essential": {"hand-back": [stroke([(-5, 140), (-5, 206)], 26)]}},
    "extensor-carpi-ulnaris-central": {
        "essential": {"hand-back": [spot(20, 198, 12, 14)]},
        "spillover": {"hand-back": [spot(22, 160, 12, 16)]},
    },
    "extensor-digitorum-middle-finger": {
        "essential": {"hand-back": [fingers("hand-back", "middle")[0] | hand_strip("hand-back", -15, 4.5)]},
        "spillover": {"hand-back": [hand_strip("hand-back", -15, 4.5, wrist=True)]},
    },
    "extensor-digitorum-ring-finger": {
        "essential": {"hand-back": fingers("hand-back", "ring", "little")},
        "spillover": {"hand-back": [hand_strip("hand-back", 4.5, 40)]},
    },
    "extensor-indicis-central": {"essential": {"hand-back": [stroke([(-12, 145), (-9, 206)], 22)]}},
    "extensor-digiti-minimi-central": {
        "essential": {"hand-back": fingers("hand-back", "little")},
        "spillover": {"hand-back": [hand_strip("hand-back", 18, 45) | hand_strip("hand-back", 18, 45, wrist=True)]},
    },
    "supinator-anterior": {
        "essential": {"hand-back": [spot(*THUMB_BASE)], "hand-palm": [spot(*THUMB_BASE)]},
        "spillover": {"hand-back": [spot(*THUMB_WEB)]},
    },
    "pronator-teres-central": {
        "essential": {
            "front": [arm_band(RADIAL_FOREARM + RADIAL_WRIST_FRONT)],
            "hand-palm": [hand_strip("hand-palm", -40, -6, wrist=True)],
        }
    },
    "flexor-carpi-radialis-central": {
        "essential": {"hand-palm": [hand_strip("hand-palm", -24, 4, wrist=True)]},
        "spillover": {"hand-palm": [spot(-10, 164, 11, 15)]},
    },
    "flexor-carpi-ulnaris-central": {
        "essential": {"hand-palm": [hand_strip("hand-palm", 4, 40, wrist=True)]},
        "spillover": {"hand-palm": [spot(20, 164, 11, 15)]},
    },
    "flexor-digitorum-superficialis-radial": {
        "essential": {"hand-palm": fingers("hand-palm", "index", "middle")},
        "spillover": {"hand-palm": [hand_strip("hand-palm", -34, 4.5)]},
    },
    "flexor-digitorum-superficialis-ulnar": {
        "essential": {"hand-palm": fingers("hand-palm", "ring", "little")},
        "spillover": {"hand-palm": [hand_strip("hand-palm", 4.5, 40)]},
    },
    "flexor-digitorum-profundus-radial": {
        "essential": {"hand-palm": fingers("hand-palm", "index", "middle")},
        "spillover": {"hand-palm": [hand_strip("hand-palm", -34, 4.5)]},
    },
    "flexor-digitorum-profundus-ulnar": {
        "essential": {"hand-palm": fingers("hand-palm", "ring", "little")},
        "spillover": {"hand-palm": [hand_strip("hand-palm", 4.5, 40)]},
    },
    "dorsal-interossei-hand-first": {
        "essential": {"hand-back": [fingers("hand-back", "index")[0] | stroke([(-36, 134), (-28, 116)], 10)]},
        "spillover": {"hand-palm": [spot(-26, 128, 8, 10), *fingers("hand-palm", "index"), "thumb"]},
    },
    "dorsal-interossei-hand-other": {
        "essential": {"hand-back": fingers("hand-back", "middle", "ring")},
        "spillover": {
            "hand-palm": fingers("hand-palm", "middle", "ring"),
            "hand-back": [hand_strip("hand-back", -10, 16)],
        },
    },
    "abductor-digiti-minimi-hand-central": {
        "essential": {"hand-back": fingers("hand-back", "little")},
        "spillover": {"hand-palm": fingers("hand-palm", "little"), "hand-back": [box(20, 126, 45, 182)]},
    },
    "opponens-digiti-minimi-central": {
        "essential": {"hand-palm": [spot(26, 158, 12, 18)]},
        "spillover": {"hand-palm": fingers("hand-palm", "little")},
    },
    "flexor-digiti-minimi-hand-central": {
        "essential": {"hand-palm": fingers("hand-palm", "little")},
        "spillover": {"hand-palm": [spot(26, 150, 11, 16)]},
    },
    # --- chest and upper back: the inner (little-finger) side of the arm and hand, or the thumb side -----------
    "pectoralis-major-sternal": {
        "spillover": {
            "front": [arm_band(ULNAR_FOREARM)],
            "hand-palm": [ULNAR_HAND.union(unary_union(fingers("hand-palm", "middle", "ring", "little")))],
        },
    },
    "pectoralis-minor-upper": {
        "spillover": {
            "front": [arm_band(INNER_ARM_TO_WRIST)],
            "hand-palm": [ULNAR_HAND.union(unary_union(fingers("hand-palm", "middle", "ring", "little")))],
        },
    },
    "pectoralis-minor-lower": {
        "spillover": {
            "front": [arm_band(INNER_ARM_TO_WRIST)],
            "hand-palm": [ULNAR_HAND.union(unary_union(fingers("hand-palm", "middle", "ring", "little")))],
        },
    },
    "subclavius-central": {
        "spillover": {
            "hand-palm": ["thumb", *fingers("hand-palm", "index", "middle")],
            "hand-back": ["thumb", *fingers("hand-back", "index", "middle")],
        },
    },
    "serratus-posterior-superior-central": {
        "essential": {"hand-back": fingers("hand-back", "little")},
        "spillover": {
            "hand-back": [box(16, 126, 45, 182)],
            "hand-palm": [ULNAR_HAND.union(unary_union(fingers("hand-palm", "little")))],
        },
    },
    # --- leg and foot ---------------------------------------------------------------------------------------------
    # Gastrocnemius: the inner point to the instep, with spillover up the inner back of the calf and knee to
    # the lower thigh; the outer point round itself on the outer calf, up to the back of the knee.
    "gastrocnemius-medial-tp1": {
        "essential": {"foot-sole": [spot(*INSTEP)]},
        "spillover": {
            "back": [leg_band("back", [(500, 0.5, 0.78), (598, 0.5, 0.78), (612, 0.5, 0.9), (690, 0.5, 0.88)])]
        },
    },
    "gastrocnemius-lateral-tp2": {
        "essential": {"back": [leg_band("back", [(606, 0.08, 0.48), (690, 0.12, 0.45)])]},
        "spillover": {"back": [leg_band("back", [(562, 0.22, 0.48), (598, 0.22, 0.48)])]},
    },
    # Soleus: the upper point to the upper half of the calf.
    "soleus-tp2": {"essential": {"back": [leg_band("back", [(600, 0.08, 0.92), (662, 0.1, 0.9)])]}},
    # Tibialis anterior: the front of the ankle and the big toe, and between them along the inner top of the foot.
    "tibialis-anterior-upper": {"spillover": {"foot-top": [stroke(INNER_DORSUM, 18)]}},
    "fibularis-tertius-lower": {"spillover": {"foot-sole": [spot(*OUTER_HEEL)]}},
    # Abductor hallucis: the inner side of the heel, spilling along the inner arch; the short toe flexors and
    # abductor of the little toe: the heads of the middle and of the outer metatarsals.
    **dict.fromkeys(
        ("abductor-hallucis-rear", "abductor-hallucis-mid", "abductor-hallucis-front"),
        {"essential": {"foot-sole": [spot(*INNER_HEEL)]}, "spillover": {"foot-sole": [spot(*INSTEP)]}},
    ),
    "flexor-digitorum-brevis-belly": {"essential": {"foot-sole": [spot(-6, 94, 16, 9)]}},
    "abductor-digiti-minimi-foot-belly": {"essential": {"foot-sole": [spot(-33, 102, 9, 9)]}},
    # --- scalenes: the chest, the front and back of the arm, the thumb side of the forearm and hand (not the
    # elbow), and the inner border of the shoulder blade.
    "anterior-scalene-central": {
        "essential": {
            "front": [stroke(PECTORAL, 9), arm_band([(70, 0.3, 0.72), (125, 0.3, 0.7)])],
            "back": [stroke(SCAPULA_MEDIAL_BORDER[:3], 9)],
        },
        "spillover": {"back": [arm_band(RADIAL_FOREARM)], "hand-back": [("thumb", RADIAL_HAND)]},
    },
    "middle-scalene-central": {
        "essential": {
            "front": [arm_band([(70, 0.3, 0.72), (125, 0.3, 0.7)])],
            "back": [arm_band([(70, 0.3, 0.72), (125, 0.3, 0.7)])],
        },
        "spillover": {
            "front": [stroke(PECTORAL, 8)],
            "back": [arm_band(RADIAL_FOREARM), stroke(SCAPULA_MEDIAL_BORDER[:3], 8)],
            "hand-back": [RADIAL_HAND | INDEX_FINGER],
        },
    },
    "posterior-scalene-central": {
        "essential": {"back": [stroke(SCAPULA_MEDIAL_BORDER[:3], 11)]},
        "spillover": {"back": [spot(-50, 196, 8, 14), arm_band([(70, 0.3, 0.72), (120, 0.3, 0.7)])]},
    },
}
