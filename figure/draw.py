"""Draw the body figure: write figure/bodymap.json from proportions and landmarks (run from the project root).

    python -m figure.draw

How the geometry is made
------------------------
Nothing is traced. Each view is drawn in its own units from landmark points placed by proportion: the whole
body is 800 units tall (eight heads of 100) with the landmark heights and widths of the usual anthropometric
tables (eye, chin, shoulder, nipple, elbow, hip, wrist, knee and ankle heights; shoulder, hip and foot widths),
the arms 6 degrees away from the body and the palms forward (the anatomical position). The head profile is
100 units from the top of the head to the chin, the hand 180 units from the wrist crease to the tip of the
middle finger, the foot 260 units long.

1. Outlines. Each part (head, trunk, leg, arm, hand, finger, toe...) is a list of landmark points joined by
   a closed centripetal Catmull-Rom curve (`outline`), sampled to a polygon. The silhouette of a view is the
   union of its parts (shapely), with a small closing that rounds the creases where parts meet.
2. Regions. A view lists cells: plane polygons bounded by landmark lines (clavicle, costal margin, navel
   line, inguinal line, iliac crest, gluteal fold, spine and borders of the shoulder blade, joint lines,
   wrist creases...). Limb cells are strips between two heights and two fractions of the limb's width
   (`strip`), so "outer third of the thigh" follows the thigh wherever it goes. `partition` gives the
   silhouette to the cells in order (each cell gets what earlier cells left), then hands every leftover
   crumb to the neighbour it shares the longest border with. The shapes therefore tile the silhouette by
   construction: no gaps, no overlaps.
3. Sides. Every view is drawn for the half on the viewer's left, then mirrored; a sided region gets a
   shape on each side ("ID:left" / "ID:right"). The viewer's left is the patient's right on the views
   seen from the front (front, arms, knees) and the patient's left on those seen from behind (back,
   foot-sole) and on foot-top (the feet as one looks down at one's own feet). The hands are drawn fingers
   up with the thumbs outward, which is how the palms look to their owner (hand-palm: the patient's left on
   the viewer's left) and the backs to someone facing them (hand-back: the patient's right on the viewer's
   left). The head view shows both profiles, the patient's right on the viewer's left, facing the other.
4. Output. Shapes are simplified together (shared borders stay shared) and written as SVG paths of M/L/Z
   only, rounded to 0.1 unit. A shape is `offered` for selection where a 24 x 24 CSS px square fits inside
   it when the view is drawn `scale_at_390` CSS px wide (its width on a 390 px wide phone); small regions
   are offered on the detail views instead.
   Lines that make a face read as one (brows, eyelids, the wing of the nose, the mouth, the rim of the ear)
   are drawn over the regions of the head and front views (`features`), never a target.
5. Trigger-point sites. Each trigger point gets a point inside its site region on the patient's right, on
   every view that shows the region (the referral map puts the cross on a view it already shows); the first
   is the head view for head, face and neck regions, the hand and foot views for hand, ankle and foot
   regions they show, otherwise the front or back view. `SITE_HINTS` places each point where its `location`
   says (e.g. soleus TrP2 high below the head of the fibula, above TrP3; `on_leg` and `on_arm` give a height
   and a fraction of the limb's width); the front and back views share one scale and their hints; the other
   points of a region are spread apart (farthest-point choice).
6. Zones drawn as the manuals draw them. `figure/zones.py` gives some trigger points' zones an outline per
   view, made from the landmarks here; each piece is cut to the zone's regions, and the script refuses a
   piece the regions cut away or break in two, or a drawing that leaves one of the zone's regions out.

How to change it
----------------
Move a landmark point in the part lists (`HEAD_FRONT`, `TRUNK`, `LEG_TOP`, `LEG_INNER`, `ARM`, `PROFILE`,
`PALM`, `FINGERS`, `FOOT`, `TOES`...) or a landmark line (`CLAVICLE`, `ILIAC_CREST`, `JAW_LINE`...), or a
cell in the lists of `front_cells`, `back_cells`, `arm_front_cells`, `head_view`, `hand_view` and
`foot_view` (order matters: a cell only gets what the cells before it left). Then run this script and
tests/test_geometry.py (tiling, target size, sites inside their regions and in their locations' order, drawn
zones inside their regions). A new leaf region in refdata/regions.yaml needs a cell in every view where it
can be seen, and one view where it is big enough to offer; the tests refuse a leaf region that no view
offers. Sites go in `SITE_HINTS`. Look at the result before committing: draw each view with its regions
coloured and labelled, and every referral map with bench/contact_sheet.py.
"""

import json
import math
from pathlib import Path

import shapely
import yaml
from shapely import affinity
from shapely.geometry import LineString
from shapely.geometry import MultiPolygon
from shapely.geometry import Point
from shapely.geometry import Polygon
from shapely.geometry import box
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
REGIONS_FILE = ROOT / "refdata" / "regions.yaml"
MUSCLES_DIR = ROOT / "refdata" / "muscles"
OUT_FILE = Path(__file__).with_name("bodymap.json")

CURVE_STEPS = 12  # samples per curve segment
CLOSING = 2.5  # radius that rounds the creases where parts of a silhouette meet
SIMPLIFY = 0.3  # shape simplification tolerance, in view units
DECIMALS = 1
GRID = 1e-6  # snap drawing coordinates to this grid (drops near-duplicate points)
MARGIN = 6  # space around a figure inside its viewBox
FAR = 1000  # "beyond the figure" for cells that run off its edge
TARGET_PX = 24  # WCAG 2.2 target size (minimum), CSS px
PHONE_VIEW_PX = 360  # width of one view on a 390 px wide phone
ARM_ABDUCTION = 6  # degrees the arms hang away from the body
MAP_SIDE = "right"  # trigger-point sites are drawn on the patient's right, as the manuals do


# --- curves and shapes ---------------------------------------------------------------------------------------------


def _spline_segment(p0, p1, p2, p3, steps):
    """Points of one centripetal Catmull-Rom segment from p1 to p2 (Barry-Goldman form)."""

    def knot(t, a, b):
        return t + max(math.dist(a, b), 1e-6) ** 0.5

    t0 = 0.0
    t1 = knot(t0, p0, p1)
    t2 = knot(t1, p1, p2)
    t3 = knot(t2, p2, p3)

    def mix(a, b, ta, tb, t):
        wa, wb = (tb - t) / (tb - ta), (t - ta) / (tb - ta)
        return (wa * a[0] + wb * b[0], wa * a[1] + wb * b[1])

    out = []
    for k in range(steps):
        t = t1 + (t2 - t1) * k / steps
        a1, a2, a3 = mix(p0, p1, t0, t1, t), mix(p1, p2, t1, t2, t), mix(p2, p3, t2, t3, t)
        b1, b2 = mix(a1, a2, t0, t2, t), mix(a2, a3, t1, t3, t)
        out.append(mix(b1, b2, t1, t2, t))
    return out


def outline(points, steps=CURVE_STEPS):
    """A smooth closed shape through the landmark points."""
    n = len(points)
    ring = []
    for i in range(n):
        ring += _spline_segment(points[i - 1], points[i], points[(i + 1) % n], points[(i + 2) % n], steps)
    return Polygon(ring).buffer(0)


def curve(points, steps=CURVE_STEPS):
    """A smooth open line through the landmark points, as a list of points."""
    ext = [points[0], *points, points[-1]]
    out = []
    for i in range(1, len(ext) - 2):
        out += _spline_segment(ext[i - 1], ext[i], ext[i + 1], ext[i + 2], steps)
    return out + [points[-1]]


def symmetric(half):
    """The closed outline through the viewer-left half points (x <= 0, listed top to bottom) and their mirror."""
    return outline(half + [(-x, y) for x, y in reversed(half)])


def capsule(a, b, width):
    """A finger or toe: a rounded bar from a to b."""
    return LineString([a, b]).buffer(width / 2, quad_segs=12)


def ellipse(cx, cy, rx, ry, angle=0):
    """An ellipse, turned by angle degrees."""
    return affinity.rotate(affinity.scale(Point(cx, cy).buffer(1, quad_segs=24), rx, ry), angle)


def poly(*points):
    """A plain polygon (a cell bounded by straight landmark lines)."""
    return Polygon(points)


def below(line):
    """The part of the plane below a landmark line (its points from one end to the other), drawn smooth."""
    line = curve(line)
    return Polygon([*line, (line[-1][0], line[-1][1] + FAR), (line[0][0], line[0][1] + FAR)]).buffer(0)


def above(line):
    """The part of the plane above a landmark line (its points from one end to the other), drawn smooth."""
    line = curve(line)
    return Polygon([*line, (line[-1][0], line[-1][1] - FAR), (line[0][0], line[0][1] - FAR)]).buffer(0)


def band(y1, y2):
    """A horizontal band of the plane."""
    return box(-FAR, y1, FAR, y2)


def mirror(geom):
    """The mirror image across the centre line x = 0."""
    return affinity.scale(geom, -1, 1, origin=(0, 0))


def closed(shape, radius=CLOSING):
    """Round off the creases where the parts of a silhouette meet, and fill any pinhole between them."""
    shape = shape.buffer(radius, quad_segs=8).buffer(-radius, quad_segs=8)
    return unary_union([Polygon(p.exterior) for p in polygons(shape)])


def extent(shape, y):
    """Left and right edge of a shape along the horizontal line at height y, or None."""
    cut = shape.intersection(LineString([(-FAR, y), (FAR, y)]))
    if cut.is_empty:
        return None
    x1, _, x2, _ = cut.bounds
    return x1, x2


def strip(shape, y1, y2, f1, f2, samples=24):
    """A cell between heights y1 and y2 and between fractions f1 and f2 of the shape's width (0 = its left edge).

    A fraction of 0 or 1 runs off the shape's edge, so the cell takes everything on that side.
    """
    left, right = [], []
    for i in range(samples + 1):
        y = y1 + (y2 - y1) * i / samples
        edges = extent(shape, y)
        if edges is None:
            continue
        lo, hi = edges
        left.append((lo - FAR if f1 <= 0 else lo + f1 * (hi - lo), y))
        right.append((hi + FAR if f2 >= 1 else lo + f2 * (hi - lo), y))
    if len(left) < 2:
        return Polygon()
    return Polygon(
        [(left[0][0], y1), *left, (left[-1][0], y2), (right[-1][0], y2), *reversed(right), (right[0][0], y1)]
    )


# --- tiling ----------------------------------------------------------------------------------------------------------


def polygons(geom):
    """The polygons of a geometry (dropping any points or lines a shapely operation left behind)."""
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [g for part in getattr(geom, "geoms", []) for g in polygons(part)]


def partition(silhouette, cells, fragment=0.2):
    """Give the silhouette to the cells in order; return {key: shape} tiling it with no gap and no overlap.

    cells: (key, cell polygon) pairs. Each cell takes what earlier cells left of it. Leftovers (outside every
    cell) and crumbs (a piece smaller than `fragment` of its region's largest piece) go to the neighbour they
    share the longest border with.
    """
    shapes, taken = {}, Polygon()
    for key, cell in cells:
        piece = unary_union(polygons(silhouette.intersection(cell).difference(taken)))
        if piece.area > 1e-6:
            shapes[key] = unary_union([shapes[key], piece]) if key in shapes else piece
            taken = unary_union([taken, piece])
    loose = polygons(silhouette.difference(taken))
    for key, shape in list(shapes.items()):
        parts = polygons(shape)
        biggest = max(p.area for p in parts)
        keep = [p for p in parts if p.area >= fragment * biggest]
        loose += [p for p in parts if p.area < fragment * biggest]
        shapes[key] = unary_union(keep)
    for piece in sorted(loose, key=lambda p: -p.area):
        if piece.area > 1e-9:
            best = max(shapes, key=lambda key, piece=piece: shared_border(piece, shapes[key]))
            shapes[best] = unary_union([shapes[best], piece])
    return shapes


def shared_border(a, b):
    """Length of the border two shapes share."""
    return a.boundary.intersection(b.buffer(1e-6)).length


def sided_cells(entries, left_side):
    """Expand (region, cell, sided) entries drawn on the viewer's left into keyed cells for both halves.

    left_side: the patient's side shown on the viewer's left. A sided cell is cut to the viewer's left half
    and mirrored for the other side; an unsided cell is cut to that half too and joined to its mirror, so it
    needs drawing on the viewer's left only.
    """
    other = "left" if left_side == "right" else "right"
    half = box(-FAR, -FAR, 0, FAR)
    cells = []
    for region, cell, sided in entries:
        if sided:
            mine = cell.intersection(half)
            cells += [((region, left_side), mine), ((region, other), mirror(mine))]
        else:
            mine = cell.intersection(half)
            cells.append(((region, None), unary_union([mine, mirror(mine)])))
    return cells


# --- the whole body, front and back ------------------------------------------------------------------------------
# 800 units from the top of the head (y = 0) to the floor (y = 800); x = 0 is the midline. Points are the
# viewer's left half, listed from the top down; the other half is their mirror.

HEAD_FRONT = [
    (0, 0),
    (-14, 1.5),
    (-25, 6),
    (-32, 14),
    (-35.5, 25),
    (-36.5, 38),
    (-36, 50),
    (-34.5, 62),
    (-32, 72),
    (-28, 84),
    (-21, 94),
    (-12, 101),
]
EAR_FRONT = (-36.5, 56, 4.5, 12)  # centre and radii
TRUNK = [
    (-22, 80),  # side of the neck, hidden under the jaw
    (-23, 100),
    (-24.5, 114),  # root of the neck
    (-29, 124),
    (-42, 131),  # slope of the shoulder (trapezius)
    (-62, 136),
    (-82, 140),
    (-96, 144),  # acromion
    (-100, 152),  # under the deltoid, hidden by the arm
    (-84, 188),  # armpit, hidden by the arm
    (-78, 205),
    (-76, 228),  # chest, at the nipple line
    (-72, 252),
    (-65, 276),
    (-59.5, 298),  # waist, level with the elbow
    (-59, 312),
    (-62, 330),  # iliac crest
    (-69, 350),
    (-76, 370),
    (-78.5, 390),  # greater trochanter
    (-74, 405),
    (-50, 416),
    (-20, 419),  # crotch, hidden by the thighs
]
LEG_TOP = [
    (-74, 362),  # outer edge, from inside the trunk down
    (-78.5, 392),  # greater trochanter
    (-77, 425),
    (-73, 460),
    (-67, 500),
    (-61, 530),
    (-57.5, 552),
    (-57, 572),  # knee joint line
    (-56, 590),
    (-58, 612),
    (-59, 640),  # widest point of the calf
    (-55.5, 675),
    (-51, 710),
    (-48, 740),
    (-48, 758),
    (-50, 770),  # outer ankle bone (lateral malleolus)
]
LEG_INNER = [
    (-18, 766),  # inner ankle bone (medial malleolus), then up the inner edge
    (-19.5, 752),
    (-19.5, 725),
    (-16.5, 695),
    (-12.5, 665),
    (-10.5, 642),  # inner calf
    (-12.5, 615),
    (-13.5, 592),
    (-11.5, 572),  # knee joint line
    (-10, 552),
    (-7, 525),
    (-4.5, 495),
    (-2.5, 465),
    (-1, 440),
    (0, 420),  # crotch
    (-10, 380),  # hidden inside the trunk
    (-40, 358),
]
FOOT_FRONT = [  # seen from the front, toes at the bottom
    (-53, 782),
    (-58, 795),
    (-58.5, 806),
    (-53, 812.5),
    (-41, 814.5),
    (-28, 814.5),
    (-19.5, 811.5),
    (-15.5, 803),
    (-16, 790),
    (-18.5, 778),
]
HEEL_BACK = [(-49.5, 782), (-47, 794), (-41.5, 802.5), (-33, 805.5), (-25, 803.5), (-20, 797), (-18, 784)]
SHOULDER_JOINT = (-88, 152)
# The arm hanging straight down from the shoulder joint, as offsets (lateral is negative), palm forward.
ARM = [
    (-2, -8),  # top of the shoulder
    (-12, -7),
    (-20, -2),
    (-25, 8),
    (-26.5, 24),  # deltoid
    (-25, 42),
    (-21.5, 60),
    (-20, 80),
    (-19.5, 110),
    (-20, 135),
    (-21.5, 150),  # outer elbow (lateral epicondyle)
    (-22, 168),
    (-20.5, 192),
    (-17.5, 220),
    (-14.5, 245),
    (-13, 262),  # wrist
    (-15, 274),  # thumb, from its base
    (-20, 284),
    (-24, 296),
    (-25.5, 307),
    (-23, 314),  # tip of the thumb
    (-19, 312),
    (-16.5, 304),
    (-14, 297),  # web between thumb and index finger
    (-14.5, 308),
    (-14, 330),
    (-11, 346),
    (-5, 353),
    (2, 353),  # tip of the middle finger
    (8, 349),
    (12.5, 340),
    (15, 322),  # little-finger side of the hand
    (16.5, 302),
    (15, 282),
    (12, 266),  # wrist
    (13.5, 245),
    (16.5, 215),
    (19, 188),
    (20.5, 165),
    (20.5, 150),  # inner elbow (medial epicondyle)
    (18.5, 132),
    (18, 105),
    (19, 78),
    (20, 55),  # armpit
    (17, 32),  # hidden inside the trunk
    (12, 12),
    (6, -4),
]
# Arm landmarks, as distances below the shoulder joint.
ARM_ELBOW_TOP, ARM_ELBOW_BOTTOM = 135, 172
DELTOID_EDGE = [(-FAR, 66), (-18, 66), (-6, 54), (FAR, 40)]  # lower edge of the deltoid, down to its insertion
DELTOID_SPLIT = -11  # the side of the shoulder lies outside this offset, the front (or back) inside it
ARMPIT = (16, 44, 9, 20)  # the hollow of the armpit, inside the arm's top: centre offset and radii
ARM_WRIST_TOP, ARM_WRIST_BOTTOM, ARM_FINGERS = 252, 274, 312


def arm_hanging():
    """The viewer-left arm hanging straight down from its shoulder joint (world coordinates)."""
    jx, jy = SHOULDER_JOINT
    return outline([(jx + dx, jy + dy) for dx, dy in ARM])


def arm_place(geom):
    """A cell drawn as offsets from the shoulder joint, moved to the hanging arm."""
    return affinity.translate(geom, *SHOULDER_JOINT)


def arm_cell(y1, y2, x1=-FAR, x2=FAR):
    """A cell of the hanging arm between depths y1 and y2 below the shoulder joint and offsets x1 to x2."""
    return arm_place(box(x1, y1, x2, y2))


def arm_strip(arm, y1, y2, f1, f2):
    """A strip of the hanging arm between depths y1, y2 and fractions f1, f2 of its width (0 = lateral)."""
    return strip(arm, SHOULDER_JOINT[1] + y1, SHOULDER_JOINT[1] + y2, f1, f2)


def thumb_cell():
    """The thumb of the hanging arm, cut from the palm along the thenar crease."""
    return arm_place(poly((-13, 268), (-60, 268), (-60, 340), (-17.5, 318), (-14.8, 300)))


def arm_front_cells(arm):
    """Front of the hanging arm (palm forward), as (region, cell) pairs, inside the arm outline."""
    cells = [
        ("thumb", thumb_cell()),
        ("armpit", arm_place(ellipse(*ARMPIT))),
        ("shoulder-side", arm_place(above(DELTOID_EDGE)).intersection(arm_cell(-FAR, FAR, x2=DELTOID_SPLIT))),
        ("shoulder-front", arm_place(above(DELTOID_EDGE))),
        ("upper-arm-outer", arm_strip(arm, 0, ARM_ELBOW_TOP, 0, 0.3)),
        ("upper-arm-inner", arm_strip(arm, 0, ARM_ELBOW_TOP, 0.68, 1)),
        ("upper-arm-front", arm_cell(0, ARM_ELBOW_TOP)),
        ("elbow-outer", arm_strip(arm, ARM_ELBOW_TOP, ARM_ELBOW_BOTTOM, 0, 0.5)),
        ("elbow-inner", arm_strip(arm, ARM_ELBOW_TOP, ARM_ELBOW_BOTTOM, 0.5, 1)),
        ("forearm-front", arm_cell(ARM_ELBOW_BOTTOM, ARM_WRIST_TOP)),
        ("wrist-front", arm_cell(ARM_WRIST_TOP, ARM_WRIST_BOTTOM)),
        ("palm", arm_cell(ARM_WRIST_BOTTOM, ARM_FINGERS)),
        ("fingers-front", arm_cell(ARM_FINGERS, FAR)),
    ]
    return [(region, cell.intersection(arm)) for region, cell in cells]


def arm_back_cells(arm):
    """Back of the hanging arm (back of the hand toward the viewer), inside the arm outline."""
    cells = [
        ("thumb", thumb_cell()),
        ("shoulder-side", arm_place(above(DELTOID_EDGE)).intersection(arm_cell(-FAR, FAR, x2=DELTOID_SPLIT))),
        ("shoulder-back", arm_place(above(DELTOID_EDGE))),
        ("upper-arm-outer", arm_strip(arm, 0, ARM_ELBOW_TOP, 0, 0.22)),
        ("upper-arm-inner", arm_strip(arm, 0, ARM_ELBOW_TOP, 0.78, 1)),
        ("upper-arm-back", arm_cell(0, ARM_ELBOW_TOP)),
        ("elbow-back", arm_cell(ARM_ELBOW_TOP, ARM_ELBOW_BOTTOM)),
        ("forearm-back", arm_cell(ARM_ELBOW_BOTTOM, ARM_WRIST_TOP)),
        ("wrist-back", arm_cell(ARM_WRIST_TOP, ARM_WRIST_BOTTOM)),
        ("hand-back", arm_cell(ARM_WRIST_BOTTOM, ARM_FINGERS)),
        ("fingers-back", arm_cell(ARM_FINGERS, FAR)),
    ]
    return [(region, cell.intersection(arm)) for region, cell in cells]


def raised(geom):
    """Swing a hanging-arm shape out to its place on the body (the arm ARM_ABDUCTION degrees from the side)."""
    return affinity.rotate(geom, ARM_ABDUCTION, origin=SHOULDER_JOINT)


def body_parts(view):
    """The head, trunk, viewer-left arm and viewer-left leg outlines of the front or back view."""
    head = symmetric(HEAD_FRONT).union(unary_union([ellipse(*EAR_FRONT), mirror(ellipse(*EAR_FRONT))]))
    trunk = symmetric(TRUNK)
    foot = FOOT_FRONT if view == "front" else HEEL_BACK
    leg = outline(LEG_TOP + foot + LEG_INNER)
    return head, trunk, raised(arm_hanging()), leg


def body_silhouette(view):
    """The outline of the whole body in the front or back view."""
    head, trunk, arm, leg = body_parts(view)
    return closed(unary_union([head, trunk, arm, mirror(arm), leg, mirror(leg)]))


# Landmark lines of the trunk (viewer-left half, from the midline outward unless said otherwise).
CLAVICLE = [(0, 150), (-10, 149), (-30, 146.5), (-55, 146), (-75, 143), (-110, 141)]
CHEST_SIDE_EDGE = [(-80, 186), (-60, 194), (-52, 206), (-54, FAR)]  # below the armpit, then the front axillary line
COSTAL_MARGIN = [(0, 252), (-20, 262), (-40, 276), (-58, 290), (-110, 298)]
NAVEL_Y = 322
INGUINAL = [(-110, 352), (-58, 350), (-35, 372), (-12, 394), (0, 400)]  # lateral to medial
THIGH_TOP = [(-110, 396), (-60, 396), (-35, 410), (-12, 428), (0, 434)]
HIP_SIDE_EDGE = [(-64, 324), (-56, 372), (-58, 410)]  # medial edge of the side of the hip, top down
KNEE_TOP, KNEE_BOTTOM, ANKLE_TOP, ANKLE_BOTTOM, TOES_Y = 548, 598, 750, 784, 799
KNEECAP = (-34, 567, 13, 17.5)  # centre and radii
ACHILLES_TOP = 728  # where the calf gives way to the tendon, seen from behind
# Back of the trunk.
NAPE = [(-22, 80), (-23, 118), (-26, 142)]  # side of the neck, top down
TRAPEZIUS_EDGE = [(0, 142), (-26, 146), (-45, 162), (-70, 168), (-110, 170)]  # lower edge of the shoulder top
SCAPULA = [
    (-36, 160),
    (-62, 157),
    (-90, 150),
    (-84, 178),
    (-70, 210),
    (-57, 240),
    (-50, 262),
    (-44, 248),
    (-39, 222),
    (-36, 195),
    (-35, 175),
]
SCAPULA_MEDIAL_Y = (176, 262)  # levels of the spine of the shoulder blade's root (T3) and of its lower tip (T7)
LOWEST_RIB_Y = 300
ILIAC_CREST = [(-110, 328), (-66, 325), (-50, 330), (-24, 340), (0, 346)]
SACRUM = [(-24, 346), (24, 346), (11, 392), (0, 398), (-11, 392)]
SACROILIAC = (-30, 362, 15, 22)  # around the dimple over the joint: centre and radii
GLUTEAL_FOLD = [(-110, 412), (-78, 418), (-62, 430), (-40, 442), (-14, 446), (0, 447)]


FACE_FRONT = [  # the face lines of the front view, viewer-left half
    [(-24, 44.5), (-16, 41.8), (-7, 43)],  # eyebrow
    [(-21, 49.5), (-15.5, 47.2), (-9.5, 49)],  # upper eyelid
    [(-21, 49.5), (-15.5, 51.4), (-9.5, 49)],  # lower eyelid
    [(-3, 51), (-4.5, 62), (-6.5, 68.5), (-3.5, 70.5), (0, 70)],  # side of the nose and its wing
    [(-10.5, 82.5), (-4, 81.8), (0, 82.2)],  # mouth
]


def head_front_cells(head):
    """Face and head regions seen from the front, inside the head outline."""
    cells = [
        ("ear", box(-FAR, 40, -33.5, 74), True),
        ("head-top", band(-FAR, 13), False),
        ("tmj", box(-33.5, 55, -26.5, 68), True),
        ("eye", outline([(-25, 45), (-18, 42), (-8, 43), (-5, 48), (-8, 54), (-17, 55), (-24, 52)]), True),
        ("forehead", box(-26.5, 13, 0, 47), True),
        ("temple", box(-FAR, 13, -26.5, 56), True),
        ("cheek", box(-29, 55, 0, 79), True),
        ("teeth", ellipse(0, 83, 12, 6.5), True),
        ("jaw", band(55, FAR), True),
    ]
    return [(region, cell.intersection(head), sided) for region, cell, sided in cells]


def front_cells():
    """Cells of the front view: (key, cell) pairs in order, for both sides."""
    head, _, _, leg = body_parts("front")
    arm_cells = [(region, raised(cell), True) for region, cell in arm_front_cells(arm_hanging())]
    neck_and_trunk = [
        ("throat", box(-12, 80, 12, 151), False),
        ("neck-front", box(-17.5, 80, 0, 151), True),
        ("neck-side", poly((-17.5, 80), (-40, 80), (-30, 118), (-46, 146), (-17.5, 151)), True),
        ("shoulder-top", above(CLAVICLE).difference(box(-17.5, -FAR, 0, FAR)), True),
        ("breastbone", poly((-11, 149), (11, 149), (11, 244), (0, 254), (-11, 244)), False),
        ("chest-side", poly(*CHEST_SIDE_EDGE, (-FAR, FAR), (-FAR, 186)).intersection(above(COSTAL_MARGIN)), True),
        ("chest-front", above(COSTAL_MARGIN), True),
        ("upper-abdomen", band(-FAR, NAVEL_Y), False),
        ("pelvic-floor", poly((-9, 398), (9, 398), (9.5, 414), (0, 434), (-9.5, 414)), False),
        ("hip-side", poly(*HIP_SIDE_EDGE, (-FAR, 410), (-FAR, 324)), True),
        ("groin", poly(*INGUINAL[1:], *reversed(THIGH_TOP[1:])), True),
        ("lower-abdomen", above(INGUINAL), False),
    ]
    legs = below(THIGH_TOP)
    leg_cells = [
        ("thigh-outer", strip(leg, 380, KNEE_TOP, 0, 0.28)),
        ("thigh-inner", strip(leg, 380, KNEE_TOP, 0.68, 1)),
        ("thigh-front", band(380, KNEE_TOP)),
        ("kneecap", ellipse(*KNEECAP)),
        ("knee-outer", strip(leg, KNEE_TOP, KNEE_BOTTOM, 0, 0.5)),
        ("knee-inner", band(KNEE_TOP, KNEE_BOTTOM)),
        ("leg-outer", strip(leg, KNEE_BOTTOM, ANKLE_TOP, 0, 0.36)),
        ("shin", band(KNEE_BOTTOM, ANKLE_TOP)),
        ("ankle-outer", strip(leg, ANKLE_TOP, ANKLE_BOTTOM, 0, 0.3)),
        ("ankle-inner", strip(leg, ANKLE_TOP, ANKLE_BOTTOM, 0.7, 1)),
        ("ankle-front", band(ANKLE_TOP, ANKLE_BOTTOM)),
        ("big-toe", box(-29, TOES_Y, 0, FAR)),
        ("toes", band(TOES_Y + 2, FAR)),
        ("foot-top", band(ANKLE_BOTTOM, FAR)),
    ]
    entries = (
        arm_cells
        + head_front_cells(head)
        + neck_and_trunk
        + [(region, cell.intersection(legs), True) for region, cell in leg_cells]
    )
    return sided_cells(entries, "right")


def back_cells():
    """Cells of the back view: (key, cell) pairs in order, for both sides."""
    head, _, _, leg = body_parts("back")
    arm_cells = [(region, raised(cell), True) for region, cell in arm_back_cells(arm_hanging())]
    head_cells = [
        ("ear", box(-FAR, 40, -33.5, 74), True),
        ("head-top", band(-FAR, 13), False),
        ("head-back", band(-FAR, FAR), True),
    ]
    trunk_cells = [
        ("neck-back", poly((0, 80), *NAPE, (0, 142)), True),
        ("shoulder-top", above(TRAPEZIUS_EDGE), True),
        ("shoulder-blade", outline(SCAPULA), True),
        ("upper-back", band(-FAR, SCAPULA_MEDIAL_Y[0]), True),
        ("chest-side", box(-FAR, 150, -63, LOWEST_RIB_Y - 8), True),
        ("between-shoulder-blades", band(-FAR, SCAPULA_MEDIAL_Y[1]), True),
        ("mid-back", band(-FAR, LOWEST_RIB_Y), True),
        ("low-back", above(ILIAC_CREST), True),
        ("tailbone", poly((-13, 392), (13, 392), (13, 416), (0, 424), (-13, 416)), False),
        ("sacrum", poly(*SACRUM), False),
        ("pelvic-floor", poly((-13, 416), (0, 424), (13, 416), (13, 450), (-13, 450)), False),
        ("sacroiliac", ellipse(*SACROILIAC, angle=-18), True),
        ("hip-side", poly((-60, 320), (-55, 372), (-60, 414), (-FAR, 414), (-FAR, 320)), True),
        ("buttock", above(GLUTEAL_FOLD), True),
    ]
    legs = below(GLUTEAL_FOLD)
    leg_cells = [
        ("thigh-outer", strip(leg, 400, KNEE_TOP, 0, 0.2)),
        ("thigh-inner", strip(leg, 400, KNEE_TOP, 0.8, 1)),
        ("thigh-back", band(400, KNEE_TOP)),
        ("knee-outer", strip(leg, KNEE_TOP, KNEE_BOTTOM, 0, 0.2)),
        ("knee-inner", strip(leg, KNEE_TOP, KNEE_BOTTOM, 0.8, 1)),
        ("knee-back", band(KNEE_TOP, KNEE_BOTTOM)),
        ("calf", band(KNEE_BOTTOM, ACHILLES_TOP)),
        ("achilles", band(ACHILLES_TOP, ANKLE_BOTTOM)),
        ("heel", band(ANKLE_BOTTOM, FAR)),
    ]
    entries = (
        arm_cells
        + [(r, c.intersection(head), s) for r, c, s in head_cells]
        + trunk_cells
        + [(region, cell.intersection(legs), True) for region, cell in leg_cells]
    )
    return sided_cells(entries, "left")


# --- detail views ------------------------------------------------------------------------------------------------
# Each is drawn for the viewer's left (x < 0, close to the centre line), then mirrored.

GAP = 6  # space between the two figures of a detail view

# The head and neck of the patient's right side, facing right: 100 units from the top of the head to the chin.
PROFILE = [
    (0, 0),  # top of the head
    (20, 3),
    (33, 10),
    (41, 20),
    (44, 32),  # forehead
    (45, 40),  # brow
    (42.5, 45),  # root of the nose
    (46, 52.5),
    (50, 59.5),
    (52.5, 63.5),  # tip of the nose
    (51, 67),
    (46, 68.5),  # under the nose
    (47, 72.5),  # upper lip
    (45.5, 76.5),  # where the lips meet
    (46.5, 80),  # lower lip
    (42.5, 85),  # the groove above the chin
    (44.5, 92),  # chin
    (41, 99),
    (34, 102),
    (22, 103),
    (17, 108),  # under the chin
    (18.5, 116),  # Adam's apple
    (18, 135),
    (17.5, 150),
    (17.5, 175),  # below the cut at the root of the neck
    (-44, 175),
    (-40, 160),
    (-33.5, 135),
    (-30, 110),  # nape of the neck
    (-30, 90),
    (-37, 77),
    (-44, 62),  # back of the skull (external occipital protuberance)
    (-46, 45),
    (-43, 28),
    (-34, 12),
    (-19, 3),
]
NECK_CUT = 150  # the view ends at the root of the neck
EAR = (ellipse(-4, 54, 9, 15.5, angle=-12), ellipse(-11, 68.5, 6.5, 8))  # the outer ear, and the mastoid behind it
TMJ = (14, 56, 9.5, 12)  # in front of the ear: centre and radii
HEAD_TOP_LINE = [(-60, 40), (-36, 24), (-10, 19), (20, 19), (60, 23)]  # the crown, back to front
TEMPORAL_LINE = [(24, 40), (21, 24), (16, -FAR)]  # front edge of the temple, up from the brow
ZYGOMATIC_ARCH = [(-FAR, 48), (6, 47), (18, 49), (28, 51), (FAR, 51)]  # lower edge of the temple
HEAD_BACK_EDGE = [(-11, -FAR), (-11, 20), (-8, 40), (-6, 62), (-6, 76)]  # behind the temple and the ear
NUCHAL_LINE = [(-6, 76), (-20, 76), (-36, 78), (-FAR, 80)]  # base of the skull, front to back
# The orbit and eyebrow, behind the line of the nose (the nose belongs to the cheek: the maxilla and its sinus).
EYE = [(23, 41), (31, 36), (40.5, 35.5), (42.8, 39.3), (40.5, 44.5), (40.3, 50), (38.5, 55), (28, 55.5), (23, 50.5)]
CHEEK = [(14, 48), (38, 48), (38, 40), (FAR, 40), (FAR, 72), (26, 72), (22, 76), (18, 66)]  # and the nose
MOUTH = [(25, 75), (36, 71.5), (48, 72), (48, 79), (46, 86), (37, 90), (27, 88.5), (23.5, 82)]  # lips, teeth, gums
# Lines that make the profile read as a face; drawn over the regions, never a target.
FACE_PROFILE = [
    [(29.5, 41.5), (35.5, 39.3), (42, 39.8)],  # eyebrow
    [(32.5, 46.8), (36.6, 44.8), (40.8, 46.2)],  # upper eyelid
    [(32.5, 46.8), (36.8, 48.6), (40.6, 47.4)],  # lower eyelid
    [(44, 66.8), (44.6, 63.8), (47.6, 63.2), (49.2, 65.4)],  # wing of the nose
    [(45.4, 76.6), (41.8, 77.1), (39.6, 76.2)],  # mouth
    [(-9, 45), (-3.5, 41.5), (2, 44.5), (3, 52), (0, 61), (-4.5, 66)],  # rim of the ear
    [(-3, 50), (0, 52.5), (-1, 57.5)],  # bowl of the ear
]
JAW_LINE = [(-4, 80), (-2, 89), (14, 96), (34, 104), (60, 104)]  # lower edge of the jaw, back to front
TRAPEZIUS_FRONT = [(-14, 70), (-16, 110), (-17, 200)]  # front edge of the trapezius: the back of the neck
SCM_FRONT = [(-2, 78), (-0.5, 150), (0.5, 200)]  # front edge of sternocleidomastoid, mastoid to breastbone
THROAT_BACK = [(2, 116), (5.5, 150), (6.5, 200)]  # the throat is in front of this line, below the top of the larynx


def head_view():
    """Both sides of the head and neck from the side: silhouette, (key, cell) pairs and the profile's shift."""
    profile = outline(PROFILE).intersection(band(-FAR, NECK_CUT))
    shift = -profile.bounds[2] - GAP / 2
    cells = [
        ("ear", unary_union(EAR), True),
        ("tmj", ellipse(*TMJ), True),
        ("head-top", above(HEAD_TOP_LINE), False),
        ("eye", outline(EYE), True),
        ("head-back", poly(*HEAD_BACK_EDGE, *NUCHAL_LINE, (-FAR, -FAR)), True),
        ("forehead", poly(*TEMPORAL_LINE, (FAR, -FAR), (FAR, 40)), True),
        ("temple", above(ZYGOMATIC_ARCH).intersection(box(-FAR, -FAR, 30, FAR)), True),
        ("teeth", outline(MOUTH), True),
        ("cheek", poly(*CHEEK), True),
        ("jaw", above(JAW_LINE).intersection(box(-6, 56, FAR, FAR)), True),
        ("neck-back", poly(*TRAPEZIUS_FRONT, (-FAR, 200), (-FAR, 60)), True),
        ("throat", poly(*THROAT_BACK, (FAR, 200), (FAR, 116)), False),
        ("neck-side", poly(*SCM_FRONT, *reversed(TRAPEZIUS_FRONT)), True),
        ("neck-front", band(-FAR, FAR), True),
    ]
    placed = [(region, affinity.translate(cell.intersection(profile), shift), sided) for region, cell, sided in cells]
    silhouette = affinity.translate(profile, shift)
    return unary_union([silhouette, mirror(silhouette)]), sided_cells(placed, "right"), shift


# A hand, fingers up, thumb on the viewer's left: 180 units from the wrist crease to the middle fingertip. So
# drawn it is the patient's left palm as its owner sees it, or the back of the patient's right hand.
FINGERS = [  # index to little finger: base, tip, width
    ((-24, 104), (-33, 16), 18.5),
    ((-5, 100), (-6, 0), 19.5),
    ((13, 102), (19, 10), 18.5),
    ((29, 110), (41, 36), 15.5),
]
THUMB = ((-38, 160), (-62, 92), 25)  # base, tip, width
THENAR = (-28, 150, 16, 28, 20)  # the ball of the thumb: centre, radii, turn in degrees
PALM = [
    (-36, 100),
    (-18, 94),
    (0, 92),
    (18, 95),
    (34, 102),
    (40, 125),
    (39, 150),
    (35, 170),
    (30, 185),
    (29, 240),
    (-29, 240),
    (-30, 188),
    (-36, 172),
    (-42, 150),
    (-41, 125),
]
HAND_CUT = 230
FINGER_CREASE = [(-FAR, 112), (-45, 112), (-20, 102), (0, 100), (20, 104), (40, 112), (FAR, 112)]
KNUCKLES_BELOW_CREASE = 12  # the knuckles sit this far toward the wrist from the palm's finger crease
WRIST_CREASE = 182
THUMB_CELL = [(-42, 112), (-44, 135), (-50, 178), (-FAR, 178), (-FAR, -FAR), (-42, -FAR)]


def hand_shape():
    """The hand outline, fingers up, thumb on the viewer's left, cut across the forearm."""
    parts = [outline(PALM), capsule(*THUMB), ellipse(*THENAR[:4], angle=THENAR[4])]
    parts += [capsule(base, tip, width) for base, tip, width in FINGERS]
    return closed(unary_union(parts), 1.5).intersection(band(-FAR, HAND_CUT))


def hand_view(palm):
    """Both hands, palms (palm=True) or backs toward the viewer: silhouette, (key, cell) pairs, the hand's shift."""
    hand = hand_shape()
    shift = -hand.bounds[2] - GAP / 2
    crease = FINGER_CREASE if palm else [(x, y + KNUCKLES_BELOW_CREASE) for x, y in FINGER_CREASE]
    cells = [
        ("thumb", poly(*THUMB_CELL)),
        ("fingers-front" if palm else "fingers-back", above(crease)),
        ("wrist-front" if palm else "wrist-back", band(WRIST_CREASE, FAR)),
        ("palm" if palm else "hand-back", band(-FAR, FAR)),
    ]
    placed = [(region, affinity.translate(cell.intersection(hand), shift), True) for region, cell in cells]
    silhouette = affinity.translate(hand, shift)
    return unary_union([silhouette, mirror(silhouette)]), sided_cells(placed, "left" if palm else "right"), shift


# The patient's left foot, toes up, big toe toward the centre line: 260 units from the tip of the big toe to the
# heel. From above it is seen as one looks down at one's own feet; the soles as from behind.
TOES = [  # big toe to little toe: base, tip, width
    ((24, 55), (27, 13), 29),
    ((-3, 62), (-2, 18), 18),
    ((-20, 66), (-21, 29), 16),
    ((-34, 73), (-37, 41), 14),
    ((-46, 83), (-51, 56), 13),
]
FOOT = [
    (38, 58),
    (42, 90),
    (38, 130),
    (31, 170),
    (29, 205),
    (27, 232),
    (18, 252),
    (2, 260),
    (-14, 258),
    (-26, 246),
    (-31, 222),
    (-33, 190),
    (-38, 150),
    (-46, 115),
    (-52, 85),
    (-48, 62),
    (-30, 60),
    (0, 55),
    (24, 52),
]
ANKLE_FROM_ABOVE = [
    (-34, 180),
    (-41, 205),
    (-42, 228),
    (-33, 246),
    (-30, 262),
    (28, 262),
    (31, 240),
    (39, 222),
    (40, 200),
    (34, 180),
    (0, 172),
]
ANKLE_CUT = 258
TOE_BASE = [(-FAR, 92), (-48, 90), (-30, 76), (-12, 70), (9, 66), (FAR, 66)]
BIG_TOE_CELL = box(9, -FAR, FAR, 66)
BALL_LINE = [(-FAR, 122), (-40, 122), (0, 112), (40, 104), (FAR, 104)]
HEEL_LINE = [(-FAR, 186), (FAR, 186)]
ANKLE_LINE_Y = 188


def foot_shape(top):
    """The foot outline, toes up; seen from above (top=True) the ankle replaces the heel."""
    parts = [outline(FOOT)] + [capsule(base, tip, width) for base, tip, width in TOES]
    if top:
        parts.append(outline(ANKLE_FROM_ABOVE))
    return closed(unary_union(parts), 1.5).intersection(band(-FAR, ANKLE_CUT))


def foot_view(top):
    """Both feet, seen from above (top=True) or the soles: silhouette, (key, cell) pairs, the foot's shift."""
    foot = foot_shape(top)
    shift = -foot.bounds[2] - GAP / 2
    cells = [("big-toe", BIG_TOE_CELL), ("toes", above(TOE_BASE))]
    if top:
        cells += [
            ("ankle-outer", box(-FAR, ANKLE_LINE_Y, -17, FAR)),
            ("ankle-inner", box(17, ANKLE_LINE_Y, FAR, FAR)),
            ("ankle-front", band(ANKLE_LINE_Y, FAR)),
            ("foot-top", band(-FAR, FAR)),
        ]
    else:
        cells += [("ball-of-foot", above(BALL_LINE)), ("heel", below(HEEL_LINE)), ("sole", band(-FAR, FAR))]
    placed = [(region, affinity.translate(cell.intersection(foot), shift), True) for region, cell in cells]
    silhouette = affinity.translate(foot, shift)
    return unary_union([silhouette, mirror(silhouette)]), sided_cells(placed, "left"), shift


ARMS_VIEW_END = 196  # the arms view runs from the shoulder to the middle of the forearm
KNEES_VIEW = box(-95, 470, 95, 668)  # the knees view: middle of the thigh to the middle of the calf


def arms_view():
    """Both arms from the front, hanging straight, shoulder to mid-forearm: silhouette, cells, the arm's shift."""
    arm = arm_hanging().intersection(band(-FAR, SHOULDER_JOINT[1] + ARMS_VIEW_END))
    shift = -arm.bounds[2] - GAP / 2
    placed = [
        (region, affinity.translate(cell.intersection(arm), shift), True)
        for region, cell in arm_front_cells(arm_hanging())
    ]
    silhouette = affinity.translate(arm, shift)
    return unary_union([silhouette, mirror(silhouette)]), sided_cells(placed, "right"), shift


# --- all views ---------------------------------------------------------------------------------------------------

VIEWS = {  # name: title, patient's side on the viewer's left
    "front": ("Front of the body", "right"),
    "back": ("Back of the body", "left"),
    "head": ("Head and neck from the side", "right"),
    "arms": ("Arms from the front, shoulder to forearm", "right"),
    "knees": ("Thighs, knees and lower legs from the front", "right"),
    "hand-palm": ("Hands, palm side", "left"),
    "hand-back": ("Hands, back", "right"),
    "foot-top": ("Feet from above", "left"),
    "foot-sole": ("Soles of the feet", "left"),
}


def drawn_views():
    """Every view as {name: (silhouette, {(region, side): shape}, shift)} in drawing units.

    shift: how far the viewer-left figure of a detail view was moved from its own drawing coordinates.
    """
    front = body_silhouette("front")
    front_shapes = partition(front, front_cells())
    views = {
        "front": (front, front_shapes, 0),
        "back": (body_silhouette("back"), back_cells(), 0),
        "head": head_view(),
        "arms": arms_view(),
        "knees": (
            front.intersection(KNEES_VIEW),
            {key: shape.intersection(KNEES_VIEW) for key, shape in front_shapes.items()},
            0,
        ),
        "hand-palm": hand_view(palm=True),
        "hand-back": hand_view(palm=False),
        "foot-top": foot_view(top=True),
        "foot-sole": foot_view(top=False),
    }
    out = {}
    for name, (silhouette, shapes, shift) in views.items():
        if isinstance(shapes, list):
            shapes = partition(silhouette, shapes)
        shapes = {key: unary_union(polygons(shapely.set_precision(shape, GRID))) for key, shape in shapes.items()}
        out[name] = (silhouette, {key: shape for key, shape in shapes.items() if shape.area > 1}, shift)
    return out


def face_lines(name, shift):
    """The face lines of a view (both sides), as smooth open lines in drawing units; none for most views."""
    if name == "head":
        lines = [[(x + shift, y) for x, y in line] for line in FACE_PROFILE]
    elif name == "front":
        lines = FACE_FRONT
    else:
        return []
    lines = [LineString(curve(line)) for line in lines]
    return lines + [mirror(line) for line in lines]


# --- output ------------------------------------------------------------------------------------------------------


def svg_path(geom):
    """An SVG path of M/L/Z commands only, one subpath per ring, rounded to DECIMALS."""

    def number(v):
        text = f"{v:.{DECIMALS}f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text

    subpaths = []
    for polygon in polygons(shapely.orient_polygons(geom)):
        for ring in [polygon.exterior, *polygon.interiors]:
            points = []
            for x, y in ring.coords[:-1]:
                point = f"{number(x)},{number(y)}"
                if not points or points[-1] != point:
                    points.append(point)
            if len(points) >= 3:
                subpaths.append("M" + "L".join(points) + "Z")
    return "".join(subpaths)


def svg_lines(lines):
    """An SVG path of open lines (M/L only), rounded to DECIMALS."""
    return "".join(
        "M" + "L".join(f"{x:.{DECIMALS}f},{y:.{DECIMALS}f}" for x, y in line.simplify(SIMPLIFY / 2).coords)
        for line in lines
    )


def path_shape(path):
    """The shape an M/L/Z path encloses (rings combined even-odd, so a ring inside another is a hole)."""
    shape = Polygon()
    for subpath in path.split("M")[1:]:
        ring = [tuple(map(float, point.split(","))) for point in subpath.rstrip("Z").split("L")]
        shape = shape.symmetric_difference(Polygon(ring).buffer(0))
    return shape


def fits_square(shape, side):
    """Whether an axis-aligned side x side square fits inside the shape."""
    h = side / 2
    corners = [(-h, -h), (-h, h), (h, -h), (h, h)]
    blocked = []
    for polygon in polygons(shape):
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = list(ring.coords)
            for a, b in zip(coords, coords[1:], strict=False):
                swept = [(x + dx, y + dy) for x, y in (a, b) for dx, dy in corners]
                blocked.append(shapely.MultiPoint(swept).convex_hull)
    return not shape.difference(unary_union(blocked)).is_empty


def framed(views):
    """Move every view into its viewBox (figure centred, MARGIN around); simplify shared borders together.

    Returns {name: (width, height, silhouette, {key: shape}, move)} where move maps drawing to viewBox units.
    """
    body = unary_union([views["front"][0], views["back"][0]]).bounds
    out = {}
    for name, (silhouette, shapes, _) in views.items():
        minx, miny, maxx, maxy = body if name in ("front", "back") else silhouette.bounds
        half = max(-minx, maxx) + MARGIN
        width, height = math.ceil(2 * half), math.ceil(maxy - miny + 2 * MARGIN)

        def move(geom, dx=width / 2, dy=MARGIN - miny):
            return affinity.translate(geom, dx, dy)

        keys = list(shapes)
        simple = shapely.coverage_simplify([move(shapes[k]) for k in keys], SIMPLIFY)
        out[name] = (width, height, move(silhouette).simplify(SIMPLIFY), dict(zip(keys, simple, strict=True)), move)
    return out


# --- trigger-point sites -----------------------------------------------------------------------------------------

DETAIL_AREAS = {"head", "neck", "hand", "ankle", "foot"}  # their sites go on a detail view when it shows them
DETAIL_VIEWS = ["head", "hand-palm", "hand-back", "foot-top", "foot-sole"]
SITE_VIEWS = ["front", "back", *DETAIL_VIEWS]  # the views referral maps draw crosses on
HINT_DRAWINGS = {"hand-palm": "hand", "hand-back": "hand", "foot-top": "foot", "foot-sole": "foot"}  # shared hints
SITE_EDGE = 4  # keep sites at least this far inside their region (less in a narrow region)
SITE_SEPARATION = 4  # two sites of one region are at least this far apart where the region has room
HINT_EDGE = 1.5  # a site placed by hand stays where it is placed if it is this far inside its region


def on_arm(depth, across):
    """A point on the arm of the front or back view: depth below the shoulder joint, fraction of the arm's width
    from its outer edge (drawing coordinates of the viewer-left arm)."""
    y = SHOULDER_JOINT[1] + depth
    lo, hi = extent(arm_hanging(), y)
    return raised(Point(lo + across * (hi - lo), y)).coords[0]


def on_leg(height, across):
    """A point on the leg of the front or back view: its height, fraction of the leg's width from its outer edge."""
    lo, hi = extent(body_parts("back")[3], height)
    return (lo + across * (hi - lo), height)


# Where a trigger point lies inside its site region, per drawing (a view, or the hand and the foot drawn for
# two views each), in the drawing coordinates of its viewer-left figure (the same coordinates as the landmark
# lists above; where that figure is the patient's left, the point is mirrored). Placed from each point's
# `location`; the others are spread out by farthest-point.
SITE_HINTS = {
    # front view
    "front": {
        "pectoralis-major-clavicular": (-45, 158),
        "subclavius-central": (-36, 154),
        "pectoralis-minor-upper": (-54, 172),
        "pectoralis-minor-lower": (-44, 200),
        "pectoralis-major-sternal": (-28, 195),
        "pectoralis-major-parasternal": (-15, 222),
        "pectoralis-major-costal": (-44, 238),
        "intercostals-anterior": (-30, 258),
        "rectus-abdominis-upper": (-10, 272),
        "diaphragm-costal": (-40, 285),
        "transversus-abdominis-upper": (-28, 300),
        "external-oblique-upper": (-50, 300),
        "internal-oblique-lateral": (-54, 314),
        "rectus-abdominis-periumbilical": (-9, 330),
        "rectus-abdominis-mcburney": (-30, 358),
        "rectus-abdominis-lower": (-10, 374),
        "pyramidalis-central": (-4, 392),
        "external-oblique-pubic": (-16, 388),
        "external-oblique-lateral": (-52, 334),
        "transversus-abdominis-lower": (-44, 348),
        "internal-oblique-lower": (-36, 372),
        "psoas-major-abdominal": (-24, 342),
        "iliacus-fossa": (-44, 360),
        "gluteus-medius-trp3": (-66, 352),  # below the front of the crest, behind its front point
        "gluteus-minimus-anterior": (-64, 356),
        "tensor-fasciae-latae-central": (-62, 376),
        "tensor-fasciae-latae-lateral": (-72, 394),
        "sartorius-upper": (-50, 392),
        "rectus-femoris-upper": (-38, 420),
        "vastus-intermedius-central": (-40, 478),
        "rectus-femoris-distal": (-38, 530),
        "vastus-lateralis-proximal": (-70, 430),
        "vastus-lateralis-mid": (-67, 476),  # mid outer thigh, under the iliotibial tract
        "vastus-lateralis-mid-anterior": (-56, 490),  # its front edge at mid-thigh
        "vastus-lateralis-distal-anterior": (-49, 528),  # above and outside the kneecap
        "vastus-lateralis-distal-posterior": (-57, 542),  # outer back of the thigh, above the knee
        "adductor-longus-upper": (-12, 432),
        "adductor-brevis-upper": (-17, 442),
        "adductor-magnus-proximal": (-7, 452),
        "adductor-longus-lower": (-13, 462),
        "adductor-magnus-mid": (-8, 484),
        "gracilis-central": (-9, 506),
        "sartorius-middle": (-21, 482),
        "vastus-medialis-proximal": (-20, 512),
        "sartorius-lower": (-15, 532),
        "vastus-medialis-distal": (-20, 540),
    },
    # back view (the patient's left, mirrored)
    "back": {
        "splenius-cervicis-lower": (-10, 134),  # the angle of the neck, near C7
        "levator-scapulae-upper": (-30, 142),
        "upper-trapezius-anterior": (-44, 146),
        "upper-trapezius-posterior": (-56, 156),
        "middle-trapezius-acromial": (-80, 160),
        "supraspinatus-belly": (-56, 172),
        "supraspinatus-lateral": (-72, 170),
        "serratus-posterior-superior-central": (-40, 176),
        "lower-trapezius-attachment": (-42, 186),
        "middle-trapezius-pilomotor": (-44, 198),
        "teres-minor-central": (-76, 196),
        "infraspinatus-central": (-58, 204),
        "infraspinatus-medial": (-42, 234),  # inner border, lower fossa
        "infraspinatus-lower-lateral": (-64, 222),
        "teres-major-medial": (-54, 250),
        "rhomboid-minor-central": (-27, 182),
        "iliocostalis-cervicis-upper-thoracic": (-15, 184),
        "middle-trapezius-medial": (-22, 194),
        "thoracic-multifidus-upper": (-5, 204),
        "rhomboid-major-upper": (-30, 208),
        "iliocostalis-thoracis-midthoracic": (-16, 226),
        "rhomboid-major-lower": (-32, 238),
        "lower-trapezius-central": (-40, 250),  # where the fibres cross the inner border of the shoulder blade
        "longissimus-thoracis-upper-lumbar": (-18, 306),
        "iliocostalis-lumborum-l1": (-32, 304),
        "quadratus-lumborum-deep-upper": (-38, 308),
        "quadratus-lumborum-superficial-upper": (-52, 306),  # just below the twelfth rib
        "lumbar-multifidus-upper": (-7, 318),
        "quadratus-lumborum-deep-lower": (-40, 327),
        "quadratus-lumborum-superficial-lower": (-55, 322),  # just above the iliac crest
        "lumbar-multifidus-lower": (-8, 336),
        "gluteus-medius-trp1": (-42, 352),  # below the back of the crest, by the sacroiliac joint
        "gluteus-medius-trp2": (-56, 334),  # below the middle of the crest
        "gluteus-minimus-posterior": (-56, 362),
        "gluteus-maximus-trp1": (-20, 398),
        "piriformis-medial": (-34, 382),
        "piriformis-lateral": (-50, 386),
        "superior-gemellus-central": (-44, 398),
        "obturator-internus-extrapelvic": (-34, 406),
        "inferior-gemellus-central": (-46, 410),
        "quadratus-femoris-central": (-48, 424),
        "gluteus-maximus-trp2": (-28, 432),
        "gluteus-maximus-trp3": (-56, 420),
        "triceps-brachii-long-head": on_arm(62, 0.55),  # below where it crosses teres major
        "triceps-brachii-lateral-head": on_arm(90, 0.28),  # mid-arm, outer side
        "triceps-brachii-medial-lateral-border": on_arm(118, 0.3),  # above the outer bump of the elbow
        "triceps-brachii-medial-border": on_arm(120, 0.7),  # above the inner bump of the elbow
        "triceps-brachii-olecranon": on_arm(142, 0.5),  # above the point of the elbow
        "semitendinosus-central": (-22, 488),
        "semimembranosus-central": (-20, 520),
        "biceps-femoris-long-head": (-50, 498),
        "biceps-femoris-short-head": (-48, 530),
        "gastrocnemius-medial-tp1": on_leg(634, 0.75),  # medial head, a little above mid-belly
        "gastrocnemius-lateral-tp2": on_leg(636, 0.24),
        "gastrocnemius-medial-tp3": on_leg(586, 0.7),  # high, behind the inner and outer knee
        "gastrocnemius-lateral-tp4": on_leg(586, 0.3),
        "popliteus-lateral": on_leg(565, 0.38),  # above the fibula's head
        "popliteus-medial": on_leg(594, 0.6),  # below the knee crease, behind the tibia
        "tibialis-posterior-deep": (-34, 648),
        "flexor-digitorum-longus-upper": (-19, 662),
        "soleus-tp2": on_leg(642, 0.2),  # high, outer, below the fibula's head
        "soleus-tp3": on_leg(688, 0.36),  # above and outside TrP1
        "soleus-tp1": on_leg(708, 0.58),  # below the gastrocnemius bellies, just inside the midline
        "flexor-hallucis-longus-lower": (-40, 714),
    },
    # head view (the patient's right profile, facing right)
    "head": {
        "temporalis-anterior": (18, 32),
        "temporalis-middle": (6, 28),
        "temporalis-middle-rear": (-3, 32),
        "temporalis-posterior": (-6, 42),
        "orbicularis-oculi-upper": (34, 41),
        "superior-oblique-trochlear": (42, 45),
        "corrugator-supercilii-medial": (44, 40),
        "lateral-pterygoid-inferior": (22, 60),
        "masseter-superficial-upper": (26, 62),
        "zygomaticus-major-central": (38, 67),  # nearer the corner of the mouth
        "masseter-superficial-middle": (24, 70),
        "buccinator-central": (38, 68),
        "masseter-deep": (13, 51),
        "lateral-pterygoid-superior": (18, 58),
        "masseter-superficial-lower": (14, 88),
        "medial-pterygoid-central": (6, 84),
        "digastric-posterior": (-8, 84),
        "sternocleidomastoid-sternal-upper": (-6, 92),  # upper third, below the mastoid
        "splenius-capitis-upper": (-20, 92),  # below the mastoid, at C2
        "splenius-cervicis-upper": (-24, 102),  # high in the side of the neck
        "suboccipitals-central": (-24, 73),  # below the base of the skull
        "semispinalis-capitis-upper": (-32, 72),  # just below the base of the skull
        "sternocleidomastoid-clavicular-upper": (-10, 108),
        "sternocleidomastoid-sternal-middle": (-2, 114),  # halfway down
        "anterior-scalene-central": (-5, 130),
        "middle-scalene-central": (-9, 128),
        "posterior-scalene-central": (-12, 134),
        "scalenus-minimus-central": (-8, 140),
        "sternocleidomastoid-clavicular": (-2, 142),
        "omohyoid-inferior": (-12, 146),
        "platysma-lower-neck": (-2, 146),
        "digastric-anterior": (26, 100),
        "mylohyoid-central": (18, 102),
        "longus-capitis-upper": (8, 104),
        "longus-colli-central": (2, 130),
        "sternocleidomastoid-sternal-lower": (2.5, 140),  # just above the breastbone
    },
    # the hand views (a hand drawn fingers up, thumb on the viewer's left; see hand_view)
    "hand": {
        "adductor-pollicis-transverse": (-30, 118),
        "lumbricals-hand-central": (-4, 116),
        "adductor-pollicis-oblique": (-22, 142),
        "palmar-interossei-central": (4, 134),
        "flexor-digiti-minimi-hand-central": (30, 134),
        "abductor-digiti-minimi-hand-central": (36, 152),
        "opponens-digiti-minimi-central": (26, 160),
    },
    # foot views (big toe toward the centre line)
    "foot": {
        "dorsal-interossei-foot-first": (12, 96),
        "dorsal-interossei-foot-lateral": (-22, 104),
        "extensor-hallucis-brevis-belly": (-4, 150),
        "extensor-digitorum-brevis-belly": (-22, 160),
        "flexor-hallucis-brevis-medial": (28, 122),
        "flexor-hallucis-brevis-lateral": (17, 126),
        "adductor-hallucis-oblique": (4, 130),
        "lumbricals-foot-forefoot": (-12, 128),
        "flexor-digiti-minimi-brevis-foot-belly": (-38, 134),
        "abductor-hallucis-front": (32, 138),
        "abductor-hallucis-mid": (30, 160),
        "flexor-digitorum-brevis-belly": (0, 152),
        "abductor-digiti-minimi-foot-belly": (-32, 162),
        "quadratus-plantae-heel": (0, 178),
    },
}


def region_table():
    """The region vocabulary: {id: entry} in file order, and the set of leaf region ids (never a parent)."""
    entries = yaml.safe_load(REGIONS_FILE.read_text())
    parents = {e.get("parent") for e in entries}
    return {e["id"]: e for e in entries}, {e["id"] for e in entries if e["id"] not in parents}


def area_of(regions, region_id):
    """The top-level area a region belongs to."""
    while regions[region_id].get("parent"):
        region_id = regions[region_id]["parent"]
    return region_id


def trigger_points():
    """Every trigger point's entry in the muscle files, in file order."""
    return [
        tp
        for path in sorted(MUSCLES_DIR.glob("*.yaml"))
        for m in yaml.safe_load(path.read_text())
        for tp in m["trigger_points"]
    ]


def spread(shape, count, hints):
    """count points inside shape, away from its edge and from each other; hints: {index: wanted point}, kept
    where they lie inside the shape, else moved to the nearest free place."""
    radius = shapely.maximum_inscribed_circle(shape).length
    inner = shape.buffer(-min(SITE_EDGE, radius / 2))
    minx, miny, maxx, maxy = inner.bounds
    step = max(math.sqrt(inner.area) / 40, 0.25)
    candidates = [
        Point(minx + i * step, miny + j * step)
        for i in range(int((maxx - minx) / step) + 1)
        for j in range(int((maxy - miny) / step) + 1)
    ]
    candidates = [p for p in candidates if inner.contains(p)] or [inner.representative_point()]
    edge = shape.boundary
    trusted = shape.buffer(-HINT_EDGE)
    chosen = {}
    for i, hint in hints.items():
        if trusted.contains(hint) and all(hint.distance(q) >= SITE_SEPARATION for q in chosen.values()):
            chosen[i] = hint
            continue
        ranked = sorted(candidates, key=hint.distance)
        free = [p for p in ranked if all(p.distance(q) >= SITE_SEPARATION for q in chosen.values())]
        chosen[i] = (free or ranked)[0]
    for i in range(count):
        if i in chosen:
            continue
        taken = list(chosen.values())

        def room(p, taken=taken):
            clear = edge.distance(p)
            return min([p.distance(q) for q in taken] + [2 * clear]) if taken else clear

        chosen[i] = max(candidates, key=room)
    return [chosen[i] for i in range(count)]


def sites(regions, framed_views, parsed):
    """{slug: {"view", "x", "y", "region", "positions"}}: every trigger point inside its site region on the
    patient's MAP_SIDE, on every view that draws the region (``positions``: {view: {"x", "y"}}). ``view``,
    ``x`` and ``y`` are the position to use when no view of the map already shows the region (the detail view
    for the head, neck, hands and feet)."""
    by_region = {}
    for point in trigger_points():
        by_region.setdefault(point["site"], []).append(point["slug"])
    out = {}
    for region, slugs in by_region.items():
        positions = {slug: {} for slug in slugs}
        for view in SITE_VIEWS:
            shape = parsed[view].get((region, MAP_SIDE)) or parsed[view].get((region, None))
            if shape is None:
                continue
            width, _, _, _, move, shift = framed_views[view]
            mine_on_left = VIEWS[view][1] == MAP_SIDE
            half = box(-FAR, -FAR, width / 2, FAR) if mine_on_left else box(width / 2, -FAR, FAR, FAR)
            shape = max(polygons(shape.intersection(half)), key=lambda p: p.area)
            wanted = SITE_HINTS.get(HINT_DRAWINGS.get(view, view), {})
            if view in ("front", "back"):  # the two share one scale: a point placed on one is placed on both
                wanted = SITE_HINTS["back" if view == "front" else "front"] | wanted
            hints = {}
            for i, slug in enumerate(slugs):
                if slug in wanted:
                    point = affinity.translate(Point(wanted[slug]), shift)
                    hints[i] = move(point if mine_on_left else mirror(point))
            for slug, point in zip(slugs, spread(shape, len(slugs), hints), strict=True):
                positions[slug][view] = {"x": round(point.x, DECIMALS), "y": round(point.y, DECIMALS)}
        views = DETAIL_VIEWS if area_of(regions, region) in DETAIL_AREAS else []
        body = regions[region]["view"]
        first = next(v for v in [*views, body, "back" if body == "front" else "front"] if v in positions[slugs[0]])
        for slug in slugs:
            out[slug] = {"view": first, **positions[slug][first], "region": region, "positions": positions[slug]}
    return out


ZONE_KINDS = ("essential", "spillover")
PIECE_KEPT = 0.9  # a drawn piece keeps at least this share of its area inside the figure when cut to its zone


def drawn_zones(framed_views, parsed):
    """{slug: {kind: {"regions": [...], "drawn": {view: [path, ...]}}}} for every trigger point: its zones'
    regions and, where figure/zones.py draws a zone, its pieces on each view, cut to the zone's regions on the
    patient's MAP_SIDE. Raises ValueError listing every piece the regions cut away or break in two, and every
    region of a drawn zone that its drawing on a view leaves out (the drawing stands for the whole zone there;
    on the whole body, a hand, foot or head region is left to its detail view)."""
    from figure.zones import DRAWN_ZONES  # figure.zones draws with this module's landmarks

    table, _ = region_table()
    out, problems = {}, []
    for point in trigger_points():
        slug, drawings = point["slug"], DRAWN_ZONES.get(point["slug"], {})
        out[slug] = {}
        for kind in ZONE_KINDS:
            regions = point["referral"].get(kind, [])
            out[slug][kind] = zone = {"regions": regions, "drawn": {}}
            for view, pieces in drawings.get(kind, {}).items():
                _, _, silhouette, _, move, shift = framed_views[view]
                mine_on_left = VIEWS[view][1] == MAP_SIDE
                keys = [(r, MAP_SIDE) for r in regions] + [(r, None) for r in regions]
                allowed = unary_union([parsed[view][k] for k in keys if k in parsed[view]])
                paths = []
                for i, piece in enumerate(pieces):
                    parts = piece if isinstance(piece, tuple) else (piece,)
                    drawn = [affinity.translate(part, shift) for part in parts if not isinstance(part, str)]
                    piece = move(unary_union([d if mine_on_left else mirror(d) for d in drawn]))
                    whole = [
                        parsed[view].get((r, MAP_SIDE)) or parsed[view].get((r, None))
                        for r in parts
                        if isinstance(r, str)
                    ]
                    piece = unary_union([piece, *whole]).intersection(silhouette)
                    cut = [p for p in polygons(piece.intersection(allowed)) if p.area > 1]
                    where = f"{slug} {kind} on {view}, piece {i + 1}"
                    kept = sum(p.area for p in cut) / piece.area if piece.area else 0
                    if kept < PIECE_KEPT:
                        problems.append(f"{where}: only {kept:.0%} of it lies in its zone's regions {regions}")
                    elif len(cut) != 1:
                        problems.append(f"{where}: the zone's regions {regions} break it into {len(cut)} parts")
                    else:
                        paths.append(svg_path(cut[0].simplify(SIMPLIFY)))
                drawn_here = unary_union([path_shape(path) for path in paths])
                for key in keys:
                    shown_in_detail = view in ("front", "back") and area_of(table, key[0]) in DETAIL_AREAS - {"neck"}
                    if (
                        key in parsed[view]
                        and not shown_in_detail
                        and drawn_here.intersection(parsed[view][key]).area < 1
                    ):
                        problems.append(f"{slug} {kind} on {view}: {key[0]} is in the zone but not drawn")
                zone["drawn"][view] = paths
    if problems:
        raise ValueError("drawn zones that do not fit their regions:\n" + "\n".join(problems))
    return out


def bodymap():
    """The whole figure as the JSON document GET /api/bodymap serves."""
    regions, leaves = region_table()
    drawn = drawn_views()
    views = framed(drawn)
    order = {region: i for i, region in enumerate(regions)}
    out, parsed = {}, {}
    for name, (title, left_side) in VIEWS.items():
        width, height, silhouette, shapes, move = views[name]
        views[name] = (*views[name], drawn[name][2])
        side_px = TARGET_PX * width / PHONE_VIEW_PX
        entries, parsed[name] = {}, {}
        for region, side in sorted(shapes, key=lambda k: (order[k[0]], k[1] != "right")):
            if region not in leaves:
                raise ValueError(f"{name}: {region} is not a leaf region of {REGIONS_FILE.name}")
            path = svg_path(shapes[(region, side)])
            parsed[name][(region, side)] = shape = path_shape(path)
            entries[f"{region}:{side}" if side else region] = {
                "region": region,
                "side": side,
                "path": path,
                "offered": fits_square(shape, side_px),
            }
        out[name] = {
            "title": title,
            "viewBox": f"0 0 {width} {height}",
            "scale_at_390": PHONE_VIEW_PX,
            "viewer_left": left_side,
            "outline": svg_path(silhouette),
            "features": svg_lines(move(line) for line in face_lines(name, drawn[name][2])),
            "regions": entries,
        }
    return {"views": out, "sites": sites(regions, views, parsed), "zones": drawn_zones(views, parsed)}


def main():
    """Draw the figure and write it to figure/bodymap.json."""
    data = bodymap()
    OUT_FILE.write_text(json.dumps(data, indent=1) + "\n")
    for name, view in data["views"].items():
        offered = sum(entry["offered"] for entry in view["regions"].values())
        print(f"{name:10} {view['viewBox']:14} {len(view['regions']):3} shapes, {offered:3} offered")
    print(f"{len(data['sites'])} trigger-point sites -> {OUT_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
