"""Pictures of self-care: the body in the position, the part that should feel it, an arrow for the movement or
the pressure. Our own simple drawings, made from the body figure, never one hand-made picture per instruction.

A small vocabulary does it:

- a **pose**: the figure's body (same proportions as :mod:`figure.draw`, eight heads tall) seen from the side or
  the front, its joints bent to the position (:data:`POSES`), with a **prop** where the position needs one (a
  chair, the floor, a wall, a doorway, a table, a strap, a ball);
- a **part** painted where the stretch should be felt (a segment of the posed body: neck, upper arm, thigh...);
- an **arrow**: straight, for a lean, a push or a pull; curved, for a turn or a tilt round a joint.

Stretches (:func:`stretch_svg`) pair each muscle's instruction with one :class:`Stretch` (:data:`STRETCHES`):
a pose, the part and the arrows, or, for the face, jaw, hand and foot, a detail view of the body map with
the region and an arrow. Self-pressure (:func:`pressure_svg`) needs no table: the trigger point's own site on
the body map, a close view round it, and the tool the instruction names (a fingertip, a pinch, a ball, a
rub), found by the instruction's words (:func:`pressure_tool`).

Every picture is an inline ``<svg role="img">`` whose label says what it shows; the instruction beside it
stays the full account. Nothing here is about needling: pictures exist for self-care only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from dataclasses import field
from html import escape

from markupsafe import Markup

from figure.body import SITES
from figure.body import VIEWS
from figure.body import key
from figure.maps import COLOURS

SKIN, EDGE, FEEL, INK = COLOURS["skin"], COLOURS["edge"], COLOURS["essential"], COLOURS["chosen"]
MAP_SIDE = "right"  # pictures show the patient's right, as the referral maps do
FAR_SKIN = "#e4dcd2"  # the limbs on the far side of a body seen from the side
PROP = "#b9b2aa"
BALL, BALL_EDGE = "#d8e26a", "#8a9130"
PICTURE_PX = 150  # a picture's height on the page, CSS px
PICTURE_MAX_PX = 240  # and its width at most (a lying body is drawn smaller)
PRESSURE_PX = 110  # a self-pressure picture's height: a close view beside one line
ARROW_WIDTH = 9  # in figure units (the body is 800 tall)

# --- the body: segment lengths and widths in the figure's units -----------------------------------------------

TRUNK = 250  # hip joints to shoulder line
NECK = 34
HEAD = (40, 52)  # radii: across, up and down
UPPER_ARM, FOREARM, HAND = 150, 125, 80
THIGH, SHANK, FOOT = 175, 190, 95
WIDTH = {"neck": 34, "upper-arm": 38, "forearm": 30, "hand": 24, "thigh": 58, "shank": 42, "foot": 26}
SHOULDER_HALF, HIP_HALF = 88, 45  # front view: half the distance between shoulder joints, hip joints
FOOT_FROM_FRONT = 0.35  # a foot seen from the front looks this much of its length
# The trunk's outline as (fraction from hips to shoulders, behind, in front) in a side view, and (fraction,
# half-width) from the front.
TRUNK_SIDE = [(-0.12, 42, 28), (0.15, 40, 32), (0.45, 34, 34), (0.75, 36, 42), (1.0, 30, 30), (1.08, 18, 18)]
TRUNK_FRONT = [(-0.1, 78), (0.2, 70), (0.45, 62), (0.7, 76), (0.95, 96), (1.06, 60)]


def towards(angle: float) -> tuple[float, float]:
    """The unit vector of a segment at ``angle`` degrees: 0 points down, 90 forward (to the right), 180 up."""
    a = math.radians(angle)
    return math.sin(a), math.cos(a)


def plus(p, angle, length):
    dx, dy = towards(angle)
    return p[0] + dx * length, p[1] + dy * length


@dataclass(frozen=True)
class Pose:
    """A position of the body, as the direction of each segment (degrees; 0 down, 90 forward, 180 up).

    side: seen from the side, facing right (``near``/``far`` limbs) or from the front (the patient's ``right``
    limbs on the viewer's left; ``behind``: from the back, the right on the viewer's right). hip: where the
    hip joints are. Limb angles: upper arm, forearm, hand;
    thigh, shank, foot. Props: what the body rests on or holds, each (kind, x, y, size).
    """

    side: bool = True
    behind: bool = False
    hip: tuple[float, float] = (0, 0)
    trunk: float = 180
    neck: float = 180
    arms: dict = field(default_factory=lambda: {"near": (0, 0, 0), "far": (0, 0, 0)})
    legs: dict = field(default_factory=lambda: {"near": (0, 0, 90), "far": (0, 0, 90)})
    props: tuple = ()


def skeleton(pose: Pose) -> dict:
    """The joints of a pose: {name: (x, y)}, limbs named by side (``shoulder-near``, ``knee-right``...)."""
    hip = pose.hip
    shoulder = plus(hip, pose.trunk, TRUNK)
    neck_top = plus(shoulder, pose.neck, NECK)
    joints = {"hip": hip, "shoulders": shoulder, "neck": neck_top, "head": plus(neck_top, pose.neck, HEAD[1] * 0.8)}
    across = (math.cos(math.radians(pose.trunk - 180)), math.sin(math.radians(pose.trunk - 180)))
    for side, (ua, fa, ha) in pose.arms.items():
        offset = 0 if pose.side else (-1 if side == "right" else 1) * SHOULDER_HALF
        s = (shoulder[0] + across[0] * offset, shoulder[1] + across[1] * offset)
        e = plus(s, ua, UPPER_ARM)
        w = plus(e, fa, FOREARM)
        joints |= {f"shoulder-{side}": s, f"elbow-{side}": e, f"wrist-{side}": w, f"hand-{side}": plus(w, ha, HAND)}
    for side, (th, sh, ft) in pose.legs.items():
        offset = 0 if pose.side else (-1 if side == "right" else 1) * HIP_HALF
        h = (hip[0] + across[0] * offset, hip[1] + across[1] * offset)
        k = plus(h, th, THIGH)
        a = plus(k, sh, SHANK)
        foot = FOOT if pose.side else FOOT * FOOT_FROM_FRONT
        joints |= {f"hip-{side}": h, f"knee-{side}": k, f"ankle-{side}": a, f"toe-{side}": plus(a, ft, foot)}
    return joints


def trunk_outline(pose: Pose, joints: dict) -> list[tuple[float, float]]:
    """The trunk as a closed outline round its axis from the hips to the shoulders."""
    hip, top = joints["hip"], joints["shoulders"]
    axis = (top[0] - hip[0], top[1] - hip[1])
    length = math.hypot(*axis)
    ux, uy = axis[0] / length, axis[1] / length
    nx, ny = -uy, ux  # to the front (right) of the axis when upright
    if pose.side:
        back = [(hip[0] + ux * length * f - nx * b, hip[1] + uy * length * f - ny * b) for f, b, _ in TRUNK_SIDE]
        front = [(hip[0] + ux * length * f + nx * a, hip[1] + uy * length * f + ny * a) for f, _, a in TRUNK_SIDE]
    else:
        back = [(hip[0] + ux * length * f - nx * w, hip[1] + uy * length * f - ny * w) for f, w in TRUNK_FRONT]
        front = [(hip[0] + ux * length * f + nx * w, hip[1] + uy * length * f + ny * w) for f, w in TRUNK_FRONT]
    return back + front[::-1]


def _points(points) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _limb(a, b, width, colour, extra=0.0) -> str:
    return (
        f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" stroke="{colour}"'
        f' stroke-width="{width + extra:.1f}" stroke-linecap="round"/>'
    )


SEGMENTS = (  # (part, from joint, to joint, width)
    ("upper-arm", "shoulder", "elbow", "upper-arm"),
    ("forearm", "elbow", "wrist", "forearm"),
    ("hand", "wrist", "hand", "hand"),
    ("thigh", "hip", "knee", "thigh"),
    ("shank", "knee", "ankle", "shank"),
    ("foot", "ankle", "toe", "foot"),
)


def body_svg(pose: Pose, joints: dict, feel: tuple[str, ...]) -> list[str]:
    """The posed body: far limbs, trunk, head and near limbs, each with its edge, and the parts to feel painted."""
    sides = ("far", "near") if pose.side else ("left", "right")
    out = []
    for prop in pose.props:
        out.append(_prop(*prop))

    def limbs(side: str, fill: str) -> list[str]:
        drawn = []
        for extra, colour in ((3, EDGE), (0, fill)):
            for _, a, b, w in SEGMENTS:
                if f"{a}-{side}" in joints:
                    drawn.append(_limb(joints[f"{a}-{side}"], joints[f"{b}-{side}"], WIDTH[w], colour, extra))
        return drawn

    out += limbs(sides[0], FAR_SKIN if pose.side else SKIN)
    trunk = trunk_outline(pose, joints)
    out.append(_limb(joints["shoulders"], joints["neck"], WIDTH["neck"], EDGE, 3))
    out.append(
        f'<polygon points="{_points(trunk)}" fill="{SKIN}" stroke="{EDGE}" stroke-width="3" stroke-linejoin="round"/>'
    )
    out.append(_limb(joints["shoulders"], joints["neck"], WIDTH["neck"], SKIN))
    hx, hy = joints["head"]
    tilt = pose.neck - 180
    rx = HEAD[0] + (6 if pose.side else 0)
    out.append(
        f'<ellipse cx="{hx:.1f}" cy="{hy:.1f}" rx="{rx}" ry="{HEAD[1]}"'
        f' transform="rotate({-tilt:.1f} {hx:.1f} {hy:.1f})" fill="{SKIN}" stroke="{EDGE}" stroke-width="3"/>'
    )
    if pose.side:  # the nose shows which way the face looks
        nose = plus(joints["head"], pose.neck - 90 + 8, rx + 4)
        out.append(
            f'<circle cx="{nose[0]:.1f}" cy="{nose[1]:.1f}" r="6" fill="{SKIN}" stroke="{EDGE}" stroke-width="3"/>'
        )
    out += limbs(sides[1], SKIN)
    out += _feel(pose, joints, feel, sides[1])
    return out


def _feel(pose: Pose, joints: dict, parts: tuple[str, ...], side: str) -> list[str]:
    """The parts where the stretch is felt, painted over the body."""
    out = []
    for part in parts:
        if part == "neck":
            out.append(_limb(joints["shoulders"], joints["neck"], WIDTH["neck"] - 6, FEEL))
        elif part in ("buttock", "hip-front"):
            hip, top = joints["hip"], joints["shoulders"]
            length = math.dist(hip, top)
            ux, uy = (top[0] - hip[0]) / length, (top[1] - hip[1]) / length
            out_ = -1 if part == "buttock" else 1  # behind the hip, or in front of it
            cx, cy = hip[0] + out_ * -uy * 26 + ux * 12, hip[1] + out_ * ux * 26 + uy * 12
            if not pose.side:
                cx, cy = joints[f"hip-{side}"]
            out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="24" fill="{FEEL}"/>')
        elif part in ("upper-trunk", "lower-trunk"):
            hip, top = joints["hip"], joints["shoulders"]
            f1, f2 = (0.5, 0.92) if part == "upper-trunk" else (0.02, 0.5)
            a = (hip[0] + (top[0] - hip[0]) * f1, hip[1] + (top[1] - hip[1]) * f1)
            b = (hip[0] + (top[0] - hip[0]) * f2, hip[1] + (top[1] - hip[1]) * f2)
            out.append(_limb(a, b, 46 if pose.side else 90, FEEL))
        else:
            for name, a, b, w in SEGMENTS:
                if name == part and f"{a}-{side}" in joints:
                    out.append(_limb(joints[f"{a}-{side}"], joints[f"{b}-{side}"], WIDTH[w] - 8, FEEL))
    return [s.replace("/>", ' opacity="0.85"/>') for s in out]


def _prop(kind: str, x: float, y: float, size: float = 0) -> str:
    """Something the body rests on or holds: floor, seat, wall, frame, table, bed, strap end, ball."""
    if kind == "floor":
        return (
            f'<line x1="{x - size:.0f}" y1="{y:.0f}" x2="{x + size:.0f}" y2="{y:.0f}" stroke="{PROP}"'
            ' stroke-width="6"/>'
        )
    if kind == "seat":  # a stool: its top at (x, y)
        return (
            f'<rect x="{x - 70:.0f}" y="{y:.0f}" width="140" height="16" fill="{PROP}"/>'
            f'<rect x="{x - 60:.0f}" y="{y + 16:.0f}" width="12" height="{size:.0f}" fill="{PROP}"/>'
            f'<rect x="{x + 48:.0f}" y="{y + 16:.0f}" width="12" height="{size:.0f}" fill="{PROP}"/>'
        )
    if kind in ("wall", "frame"):
        return (
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{18 if kind == "wall" else 12}" height="{size:.0f}" fill="{PROP}"/>'
        )
    if kind in ("table", "bed"):
        return (
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{size:.0f}" height="{22 if kind == "table" else 30}" fill="{PROP}"/>'
        )
    if kind == "ball":
        return (
            f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{size or 22:.0f}" fill="#d8e26a" stroke="#8a9130" stroke-width="3"/>'
        )
    raise ValueError(f"unknown prop {kind}")


# --- arrows ---------------------------------------------------------------------------------------------------


def arrow_line(a, b, width: float = ARROW_WIDTH) -> str:
    """A straight arrow from a to b."""
    angle = math.atan2(b[1] - a[1], b[0] - a[0])
    head = 3.2 * width
    left = (b[0] - head * math.cos(angle - 0.45), b[1] - head * math.sin(angle - 0.45))
    right = (b[0] - head * math.cos(angle + 0.45), b[1] - head * math.sin(angle + 0.45))
    shaft_end = (b[0] - head * 0.8 * math.cos(angle), b[1] - head * 0.8 * math.sin(angle))
    return (
        f'<g class="move"><line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{shaft_end[0]:.1f}" y2="{shaft_end[1]:.1f}"'
        f' stroke="{INK}" stroke-width="{width}" stroke-linecap="round"/>'
        f'<polygon points="{_points([b, left, right])}" fill="{INK}"/></g>'
    )


def arrow_turn(centre, radius: float, start: float, end: float, width: float = ARROW_WIDTH) -> str:
    """A curved arrow round ``centre`` from angle ``start`` to ``end`` (degrees as for segments)."""
    steps = max(6, int(abs(end - start) / 6))
    points = [plus(centre, start + (end - start) * i / steps, radius) for i in range(steps + 1)]
    path = "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points[:-1])
    tip = arrow_line(points[-2], points[-1], width).split("<polygon", 1)[1]
    return (
        f'<g class="move"><path d="{path}" fill="none" stroke="{INK}" stroke-width="{width}"'
        f' stroke-linecap="round"/><polygon{tip}'
    )


@dataclass(frozen=True)
class Move:
    """An arrow on a posed body: straight from a joint (``dx``, ``dy`` from it, then ``to`` further) or curved
    round a joint (``radius``, from ``start`` to ``end`` degrees)."""

    joint: str
    to: tuple[float, float] = (0, 0)
    start_at: tuple[float, float] = (0, 0)
    radius: float = 0
    start: float = 0
    end: float = 0

    def points(self, joints: dict) -> list[tuple[float, float]]:
        """The arrow's ends (for a turn, its end points and middle)."""
        x, y = joints[self.joint]
        if self.radius:
            return [plus((x, y), a, self.radius) for a in (self.start, (self.start + self.end) / 2, self.end)]
        a = (x + self.start_at[0], y + self.start_at[1])
        return [a, (a[0] + self.to[0], a[1] + self.to[1])]

    def svg(self, joints: dict) -> str:
        if self.radius:
            return arrow_turn(joints[self.joint], self.radius, self.start, self.end)
        return arrow_line(*self.points(joints))


@dataclass(frozen=True)
class Stretch:
    """A stretch picture: a pose (by name), the parts to feel, the arrows (and the joints to frame, for a close
    view); or, for a detail, a body-map view
    (``view``: head, hand-palm, hand-back, foot-top, foot-sole) with its ``regions`` painted and arrows given
    in that view's drawing of the patient's right side."""

    pose: str = ""
    feel: tuple[str, ...] = ()
    moves: tuple[Move, ...] = ()
    frame: tuple[str, ...] = ()  # the joints to show, where the whole body would make the part too small
    view: str = ""
    regions: tuple[str, ...] = ()
    arrows: tuple[tuple[tuple[float, float], tuple[float, float]], ...] = ()


# --- poses ----------------------------------------------------------------------------------------------------
# Side views face right; in a supine pose the head is on the left (the face up), prone on the right (face down).
# Front views show the patient's right on the viewer's left; ``behind`` shows the back (right on the right).

FLOOR_STAND = 385  # below the hip joint when standing
SEAT = 38  # the seat's top below the hip joint when sitting
LYING = 44  # the floor below the hip joint when lying

_STAND = Pose(props=(("floor", 20, FLOOR_STAND, 220),))
_SIT = Pose(
    arms={"near": (8, 70, 85), "far": (8, 70, 85)},
    legs={"near": (90, 0, 90), "far": (92, 2, 90)},
    props=(("seat", -10, SEAT, 154), ("floor", 80, 208, 220)),
)
_LIE_BACK = Pose(
    trunk=-90,
    neck=-90,
    arms={"near": (90, 90, 90), "far": (90, 90, 90)},
    legs={"near": (90, 90, 180), "far": (90, 90, 180)},
    props=(("floor", 60, LYING, 480),),
)
_LIE_FRONT = Pose(
    trunk=110,
    neck=100,
    arms={"near": (0, 90, 90), "far": (0, 90, 90)},
    legs={"near": (-90, -90, 0), "far": (-90, -90, 0)},
    props=(("floor", 0, LYING, 480),),
)
_FRONT = Pose(
    side=False,
    arms={"right": (-6, -4, 0), "left": (6, 4, 0)},
    legs={"right": (-3, 0, -90), "left": (3, 0, 90)},
    props=(("floor", 0, FLOOR_STAND, 220),),
)


def pose(base: Pose, **changes) -> Pose:
    """A pose made from a base pose; arms and legs given for one side leave the other side as it was."""
    for limbs in ("arms", "legs"):
        if limbs in changes:
            changes[limbs] = getattr(base, limbs) | changes[limbs]
    return Pose(**{**base.__dict__, **changes})


POSES = {
    "stand": _STAND,
    "sit": _SIT,
    "sit-chin-tuck": pose(_SIT, neck=145),
    "sit-chin-lift": pose(_SIT, neck=208),
    "sit-curl": pose(_SIT, trunk=128, neck=100, arms={"near": (25, 15, 10), "far": (20, 10, 10)}),
    "sit-round-hug": pose(_SIT, trunk=162, neck=140, arms={"near": (105, 160, 200), "far": (100, 150, 190)}),
    "sit-ankle-on-knee": pose(_SIT, legs={"near": (60, 95, 160)}, arms={"near": (40, 80, 90)}),
    "sit-leg-straight": pose(_SIT, legs={"near": (90, 90, 180)}),
    "sit-arm-forward": pose(_SIT, arms={"near": (90, 90, 90), "far": (70, 110, 100)}),
    "sit-arm-forward-wrist-down": pose(_SIT, arms={"near": (90, 90, 25), "far": (62, 118, 80)}),
    "sit-arm-forward-wrist-up": pose(_SIT, arms={"near": (90, 90, 160), "far": (70, 120, 190)}),
    "sit-elbow-bent": pose(_SIT, arms={"near": (0, 90, 90), "far": (40, 100, 90)}),
    "sit-elbow-full": pose(_SIT, arms={"near": (95, 215, 180), "far": (50, 120, 120)}),
    "neck-tilt": pose(_FRONT, neck=152, props=()),
    "front-twist": pose(_FRONT, arms={"right": (40, 120, 110), "left": (-40, -120, -110)}, props=()),
    "hands-behind-head": pose(_FRONT, arms={"right": (-140, 62, 70), "left": (140, -62, -70)}, props=()),
    "arm-across": pose(_FRONT, arms={"right": (60, 92, 92), "left": (-20, -115, -100)}, props=()),
    "arm-overhead-bent": pose(_FRONT, arms={"right": (-172, -30, -10), "left": (-150, 150, 150)}, props=()),
    "hand-behind-back": pose(_FRONT, behind=True, arms={"right": (-10, 75, 80), "left": (10, -60, -70)}, props=()),
    "side-reach": pose(_FRONT, trunk=163, neck=160, arms={"right": (-160, -165, -170)}),
    "arm-out-forearm-down": pose(_FRONT, arms={"right": (-90, 0, 0)}, props=()),
    "wide-lunge": pose(_FRONT, hip=(40, 40), legs={"right": (-38, -38, -90), "left": (28, -8, 90)}),
    "cross-behind": pose(_FRONT, hip=(-14, 0), trunk=186, legs={"right": (12, 4, -90), "left": (-4, 0, 90)}),
    "butterfly": pose(
        _FRONT,
        hip=(0, 0),
        arms={"right": (-5, 20, 20), "left": (5, -20, -20)},
        legs={"right": (-72, 55, 90), "left": (72, -55, -90)},
        props=(("floor", 0, 60, 260),),
    ),
    "legs-apart": pose(
        _FRONT,
        trunk=180,
        arms={"right": (-20, -20, -20), "left": (20, 20, 20)},
        legs={"right": (-62, -62, -150), "left": (62, 62, 150)},
        props=(("floor", 0, 60, 330),),
    ),
    "lie-back": _LIE_BACK,
    "lie-knees-bent": pose(_LIE_BACK, legs={"near": (140, 40, 90), "far": (140, 40, 90)}),
    "lie-knees-chest": pose(
        _LIE_BACK,
        arms={"near": (150, 120, 120), "far": (150, 120, 120)},
        legs={"near": (200, 80, 170), "far": (200, 80, 170)},
    ),
    "lie-figure-four": pose(
        _LIE_BACK,
        arms={"near": (150, 110, 110), "far": (150, 110, 110)},
        legs={"far": (190, 95, 170), "near": (150, 30, 120)},
    ),
    "lie-knee-across": pose(_LIE_BACK, legs={"near": (150, 60, 120)}),
    "lie-leg-raised": pose(
        _LIE_BACK, arms={"near": (160, 165, 165), "far": (160, 165, 165)}, legs={"near": (172, 172, 265)}
    ),
    "lie-front-prop": _LIE_FRONT,
    "lie-front-knee-bend": pose(_LIE_FRONT, trunk=90, neck=95, legs={"near": (-90, 160, 70)}),
    "side-lie-reach": pose(  # lying on the other side, seen from the front: the sore (right) side up
        _FRONT,
        trunk=-90,
        neck=-90,
        arms={"right": (-92, -95, -95), "left": (-100, -100, -100)},
        legs={"right": (55, 20, 60), "left": (90, 90, 90)},
        props=(("bed", -330, 68, 560),),
    ),
    "kneel-lunge": pose(_STAND, legs={"near": (0, -90, -90), "far": (95, 0, 90)}, props=(("floor", 40, 198, 280),)),
    "wall-calf": pose(
        _STAND,
        trunk=165,
        arms={"near": (100, 95, 90), "far": (100, 95, 90)},
        legs={"near": (-16, -16, 74), "far": (25, -8, 90)},
        props=(("floor", 40, 368, 280), ("wall", 300, -330, 700)),
    ),
    "wall-calf-bent": pose(
        _STAND,
        hip=(0, 30),
        trunk=170,
        arms={"near": (100, 95, 90), "far": (100, 95, 90)},
        legs={"near": (-6, -26, 70), "far": (35, -10, 90)},
        props=(("floor", 40, 368, 280), ("wall", 300, -300, 700)),
    ),
    "doorway": pose(
        _STAND,
        arms={"near": (-90, 180, 180), "far": (10, 10, 0)},
        legs={"near": (-8, -8, 90), "far": (15, 0, 90)},
        props=(("floor", 20, FLOOR_STAND, 260), ("frame", -165, -420, 800)),
    ),
    "arm-behind-on-frame": pose(
        _STAND,
        arms={"near": (-75, -80, -80)},
        props=(("floor", 20, FLOOR_STAND, 260), ("frame", -300, -420, 800)),
    ),
    "stand-quad": pose(_STAND, arms={"near": (-25, -20, -20)}, legs={"near": (0, 192, -90)}),
    "stand-split": pose(_STAND, legs={"near": (-22, -22, 70), "far": (22, -5, 90)}),
    "table-behind": pose(
        _STAND,
        hip=(0, 40),
        arms={"near": (-35, -25, -90), "far": (-35, -25, -90)},
        legs={"near": (25, -18, 90), "far": (25, -18, 90)},
        props=(("table", -230, -50, 140), ("floor", 0, 385, 300)),
    ),
    "clasp-behind-lift": pose(_STAND, arms={"near": (-40, -30, -30), "far": (-40, -30, -30)}),
}

HEAD_VIEW = {  # landmarks of the head view's patient's-right profile, in the view's units (figure/bodymap.json)
    "chin": (97, 99),
    "mouth": (94, 83),
    "outer-eye": (85, 53),
    "inner-brow": (92, 47),
    "forehead": (86, 32),
    "cheek": (82, 68),
}


def head_arrow(start: str, dx: float, dy: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """An arrow on the head view from a landmark."""
    x, y = HEAD_VIEW[start]
    return (x, y), (x + dx, y + dy)


def hand_arrow(region: str, dx: float, dy: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """An arrow on the palm view of the patient's right hand (its thumb on the viewer's right), from the middle
    of a region, ``dx`` and ``dy`` in steps of HAND_STEP."""
    x, y = region_centre("hand-palm", region)
    return (x, y), (x + dx * HAND_STEP, y + dy * HAND_STEP)


HAND_STEP = 26  # an arrow's length on the hand view, in its units


def region_centre(view: str, region: str) -> tuple[float, float]:
    """The middle of a region's shape (the mean of its outline's points) on the patient's right."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", VIEWS[view]["regions"][key(region, MAP_SIDE)]["path"])]
    xs, ys = numbers[0::2], numbers[1::2]
    return sum(xs) / len(xs), sum(ys) / len(ys)


NEAR, RIGHT = "near", "right"
BUST = ("head", "shoulder-right", "shoulder-left", "elbow-right", "elbow-left", "hip")  # framings
SIDE_BUST = ("head", "shoulders", "hip", "elbow-near")
ARM = ("head", "shoulders", "hand-near", "hand-far", "hip")
WRIST_DOWN = Move("wrist-near", radius=60, start=80, end=20)
WRIST_UP = Move("wrist-near", radius=60, start=100, end=160)
WRIST_TURN = Move("wrist-near", radius=34, start=160, end=420)
CHIN_UP = Move("shoulders", radius=120, start=170, end=205)
CHIN_DOWN = Move("shoulders", radius=120, start=185, end=145)
HUG_KNEE = Move("knee-near", start_at=(20, 20), to=(-70, 0))
KNEE_ACROSS = Move("knee-near", radius=70, start=150, end=95)
KNEES_DOWN = (Move("knee-right", start_at=(0, -70), to=(0, 55)), Move("knee-left", start_at=(0, -70), to=(0, 55)))
HEEL_UP = Move("knee-near", radius=150, start=200, end=165)
FOOT_DOWN = Move("ankle-near", radius=70, start=200, end=250)
FOOT_TURN = Move("toe-near", radius=40, start=160, end=420)
TOES_DOWN = Move("toe-near", radius=50, start=200, end=260)
TOES_BACK = Move("toe-near", radius=50, start=260, end=200)
TILT_AWAY = Move("shoulders", radius=150, start=185, end=148)  # the head tipped toward the other shoulder
ROUND_FORWARD = Move("shoulders", radius=170, start=190, end=145)
LEAN_IN = Move("hip", start_at=(-20, -60), to=(90, 0))
# Each muscle's stretch (refdata/muscles, field "stretch"), as a picture: the pose, the part to feel, the arrows.
STRETCHES = {
    # arm
    "biceps-brachii": Stretch("table-behind", ("upper-arm",), (Move("hip", start_at=(30, -60), to=(0, 70)),)),
    "brachialis": Stretch("sit-arm-forward", ("upper-arm",), (Move("wrist-near", start_at=(0, 30), to=(-10, -70)),)),
    "coracobrachialis": Stretch("arm-behind-on-frame", ("upper-arm", "upper-trunk"), (LEAN_IN,)),
    "triceps-brachii": Stretch(
        "arm-overhead-bent", ("upper-arm",), (Move("elbow-right", start_at=(40, 0), to=(-50, -10)),)
    ),
    "anconeus": Stretch("sit-elbow-full", ("forearm",), (Move("wrist-near", radius=60, start=60, end=10),)),
    # back
    "serratus-posterior-superior": Stretch("sit-round-hug", ("upper-trunk",), (ROUND_FORWARD,)),
    "serratus-posterior-inferior": Stretch(
        "front-twist", ("lower-trunk",), (Move("shoulders", start_at=(-90, 90), to=(170, 0)),)
    ),
    "iliocostalis-cervicis": Stretch("sit-chin-tuck", ("neck", "upper-trunk"), (ROUND_FORWARD,)),
    "iliocostalis-thoracis": Stretch("sit-curl", ("lower-trunk",), (Move("hip", radius=260, start=165, end=120),)),
    "iliocostalis-lumborum": Stretch(
        "lie-knees-chest", ("lower-trunk",), (Move("knee-near", radius=70, start=100, end=160),)
    ),
    "longissimus-thoracis": Stretch("sit-curl", ("lower-trunk",), (Move("hip", radius=260, start=165, end=120),)),
    "spinalis-thoracis": Stretch("sit-round-hug", ("upper-trunk",), (ROUND_FORWARD,)),
    "thoracic-multifidus": Stretch(
        "front-twist", ("upper-trunk",), (Move("shoulders", start_at=(90, 90), to=(-170, 0)),)
    ),
    "rotatores": Stretch("front-twist", ("upper-trunk",), (Move("shoulders", start_at=(-90, 90), to=(170, 0)),)),
    "lumbar-multifidus": Stretch(
        "lie-knees-chest", ("lower-trunk",), (Move("knee-near", radius=70, start=100, end=160),)
    ),
    "quadratus-lumborum": Stretch(
        "side-lie-reach", ("lower-trunk",), (Move("hand-right", start_at=(-20, 0), to=(-80, 0)),)
    ),
    # chest and abdomen
    "pectoralis-major": Stretch("doorway", ("upper-trunk",), (LEAN_IN,)),
    "pectoralis-minor": Stretch("doorway", ("upper-trunk",), (LEAN_IN,)),
    "sternalis": Stretch("hands-behind-head", ("upper-trunk",), (Move("elbow-right", start_at=(-10, 0), to=(-60, 0)),)),
    "subclavius": Stretch("neck-tilt", ("upper-trunk",), (Move("shoulder-right", start_at=(0, -20), to=(0, -60)),)),
    "intercostals": Stretch("side-reach", ("upper-trunk",), (Move("hand-right", start_at=(10, -10), to=(70, 0)),)),
    "diaphragm": Stretch("lie-knees-bent", ("lower-trunk",), (Move("hip", start_at=(-70, -60), to=(0, -70)),)),
    "rectus-abdominis": Stretch(
        "lie-front-prop", ("lower-trunk",), (Move("shoulders", start_at=(0, -60), to=(0, -60)),)
    ),
    "external-oblique": Stretch("side-reach", ("lower-trunk",), (Move("hand-right", start_at=(10, -10), to=(70, 0)),)),
    "internal-oblique": Stretch("side-reach", ("lower-trunk",), (Move("hand-right", start_at=(10, -10), to=(70, 0)),)),
    "transversus-abdominis": Stretch(
        "lie-knees-bent", ("lower-trunk",), (Move("hip", start_at=(-70, -60), to=(0, -70)),)
    ),
    "pyramidalis": Stretch("lie-front-prop", ("lower-trunk",), (Move("shoulders", start_at=(0, -60), to=(0, -60)),)),
    # forearm and hand
    **dict.fromkeys(
        (
            "brachioradialis",
            "extensor-carpi-radialis-longus",
            "extensor-carpi-radialis-brevis",
            "extensor-carpi-ulnaris",
            "extensor-digitorum",
            "extensor-indicis",
            "extensor-digiti-minimi",
            "extensor-pollicis-longus",
            "abductor-pollicis-longus",
            "extensor-pollicis-brevis",
            "supinator",
        ),
        Stretch("sit-arm-forward-wrist-down", ("forearm",), (WRIST_DOWN,), ARM),
    ),
    **dict.fromkeys(
        (
            "palmaris-longus",
            "flexor-carpi-radialis",
            "flexor-carpi-ulnaris",
            "flexor-digitorum-superficialis",
            "flexor-digitorum-profundus",
            "flexor-pollicis-longus",
        ),
        Stretch("sit-arm-forward-wrist-up", ("forearm",), (WRIST_UP,), ARM),
    ),
    "pronator-teres": Stretch("sit-arm-forward", ("forearm",), (WRIST_TURN,), ARM),
    "pronator-quadratus": Stretch("sit-elbow-bent", ("forearm",), (WRIST_TURN,), ARM),
    **dict.fromkeys(
        ("adductor-pollicis", "opponens-pollicis", "abductor-pollicis-brevis", "flexor-pollicis-brevis"),
        Stretch(view="hand-palm", regions=("thumb",), arrows=(hand_arrow("thumb", 1, -0.4),)),
    ),
    **dict.fromkeys(
        ("dorsal-interossei-hand", "palmar-interossei"),
        Stretch(
            view="hand-palm",
            regions=("fingers-front",),
            arrows=(hand_arrow("fingers-front", -1, 0), hand_arrow("fingers-front", 1, 0)),
        ),
    ),
    **dict.fromkeys(
        ("abductor-digiti-minimi-hand", "opponens-digiti-minimi", "flexor-digiti-minimi-hand"),
        Stretch(view="hand-palm", regions=("palm", "fingers-front"), arrows=(hand_arrow("fingers-front", -1, -0.3),)),
    ),
    "lumbricals-hand": Stretch(
        view="hand-palm", regions=("palm", "fingers-front"), arrows=(hand_arrow("fingers-front", 0, -1),)
    ),
    # head: the jaw opened, closed back or the skin slid, on the head view
    "temporalis": Stretch(view="head", regions=("temple",), arrows=(head_arrow("chin", 0, 22),)),
    "masseter": Stretch(view="head", regions=("cheek", "jaw"), arrows=(head_arrow("chin", 0, 22),)),
    "medial-pterygoid": Stretch(view="head", regions=("jaw",), arrows=(head_arrow("chin", 0, 22),)),
    "lateral-pterygoid": Stretch(view="head", regions=("tmj",), arrows=(head_arrow("chin", -20, 0),)),
    "digastric": Stretch("sit-chin-lift", ("neck",), (CHIN_UP,), SIDE_BUST),
    "mylohyoid": Stretch("sit-chin-lift", ("neck",), (CHIN_UP,), SIDE_BUST),
    "occipitofrontalis": Stretch(view="head", regions=("forehead",), arrows=(head_arrow("forehead", 0, 12),)),
    "orbicularis-oculi": Stretch(view="head", regions=("eye",), arrows=(head_arrow("outer-eye", -18, -4),)),
    "superior-oblique": Stretch(view="head", regions=("eye",), arrows=(head_arrow("outer-eye", 20, 0),)),
    "zygomaticus-major": Stretch(view="head", regions=("cheek",), arrows=(head_arrow("mouth", -4, 12),)),
    "buccinator": Stretch(view="head", regions=("cheek",), arrows=(head_arrow("cheek", 12, 6),)),
    "platysma": Stretch("sit-chin-lift", ("neck",), (CHIN_UP,), SIDE_BUST),
    "corrugator-supercilii": Stretch(view="head", regions=("forehead",), arrows=(head_arrow("inner-brow", -6, -14),)),
    # neck
    **dict.fromkeys(
        (
            "sternocleidomastoid",
            "anterior-scalene",
            "middle-scalene",
            "posterior-scalene",
            "scalenus-minimus",
            "upper-trapezius",
            "omohyoid",
        ),
        Stretch("neck-tilt", ("neck",), (TILT_AWAY,), BUST),
    ),
    **dict.fromkeys(
        (
            "levator-scapulae",
            "splenius-capitis",
            "splenius-cervicis",
            "semispinalis-capitis",
            "semispinalis-cervicis",
            "cervical-multifidus",
            "suboccipitals",
        ),
        Stretch("sit-chin-tuck", ("neck",), (CHIN_DOWN,), SIDE_BUST),
    ),
    "longus-colli": Stretch("sit-chin-lift", ("neck",), (CHIN_UP,), SIDE_BUST),
    "longus-capitis": Stretch("sit-chin-lift", ("neck",), (CHIN_UP,), SIDE_BUST),
    # shoulder
    "middle-trapezius": Stretch("sit-round-hug", ("upper-trunk",), (ROUND_FORWARD,)),
    "lower-trapezius": Stretch("sit-curl", ("upper-trunk",), (Move("hip", radius=260, start=165, end=120),)),
    "rhomboid-major": Stretch("arm-across", ("upper-arm",), (Move("elbow-right", start_at=(-10, 25), to=(90, 0)),)),
    "rhomboid-minor": Stretch("arm-across", ("upper-arm",), (Move("elbow-right", start_at=(-10, 25), to=(90, 0)),)),
    "supraspinatus": Stretch(
        "hand-behind-back", ("upper-arm",), (Move("wrist-right", start_at=(10, 40), to=(-100, 20)),)
    ),
    "infraspinatus": Stretch("hand-behind-back", ("upper-arm",), (Move("elbow-right", start_at=(20, 0), to=(-50, 0)),)),
    "teres-minor": Stretch("arm-out-forearm-down", ("upper-arm",), (Move("elbow-right", radius=90, start=20, end=75),)),
    "teres-major": Stretch(
        "arm-overhead-bent", ("upper-arm",), (Move("elbow-right", start_at=(40, 0), to=(-50, -10)),)
    ),
    "subscapularis": Stretch("doorway", ("upper-arm", "upper-trunk"), (LEAN_IN,)),
    "latissimus-dorsi": Stretch("side-reach", ("upper-trunk",), (Move("hand-right", start_at=(10, -10), to=(70, 0)),)),
    "deltoid": Stretch("clasp-behind-lift", ("upper-arm",), (Move("hand-near", start_at=(-20, 0), to=(-20, -70)),)),
    "serratus-anterior": Stretch("doorway", ("upper-trunk",), (LEAN_IN,)),
    # hip and pelvis
    "gluteus-maximus": Stretch("lie-knees-chest", ("buttock",), (HUG_KNEE,)),
    "gluteus-medius": Stretch("lie-knee-across", ("buttock",), (KNEE_ACROSS,)),
    "gluteus-minimus": Stretch("lie-knee-across", ("buttock",), (KNEE_ACROSS,)),
    **dict.fromkeys(
        ("piriformis", "superior-gemellus", "inferior-gemellus"), Stretch("lie-figure-four", ("buttock",), (HUG_KNEE,))
    ),
    **dict.fromkeys(
        ("obturator-internus", "quadratus-femoris", "obturator-externus"),
        Stretch("lie-knees-bent", ("buttock",), (Move("knee-near", radius=60, start=100, end=40),)),
    ),
    "psoas-major": Stretch("kneel-lunge", ("hip-front",), (Move("hip", start_at=(20, -30), to=(80, 0)),)),
    "iliacus": Stretch("kneel-lunge", ("hip-front",), (Move("hip", start_at=(20, -30), to=(80, 0)),)),
    "tensor-fasciae-latae": Stretch("cross-behind", ("thigh",), (Move("hip-right", start_at=(-60, -40), to=(-70, 0)),)),
    "pectineus": Stretch("butterfly", ("thigh",), KNEES_DOWN),
    **dict.fromkeys(
        ("levator-ani", "coccygeus", "bulbospongiosus", "ischiocavernosus", "external-anal-sphincter"),
        Stretch("lie-knees-chest", ("buttock",), (Move("hip", start_at=(-90, -70), to=(0, -60)),)),
    ),
    # thigh
    "sartorius": Stretch("stand-split", ("thigh",), (Move("hip", start_at=(20, -20), to=(70, 0)),)),
    "rectus-femoris": Stretch("stand-quad", ("thigh",), (HEEL_UP,)),
    "vastus-lateralis": Stretch("stand-quad", ("thigh",), (HEEL_UP,)),
    "vastus-medialis": Stretch("lie-front-knee-bend", ("thigh",), (Move("knee-near", radius=120, start=150, end=110),)),
    "vastus-intermedius": Stretch(
        "lie-front-knee-bend", ("thigh",), (Move("knee-near", radius=120, start=150, end=110),)
    ),
    "adductor-longus": Stretch("wide-lunge", ("thigh",), (Move("hip", start_at=(-30, -70), to=(90, 0)),)),
    "adductor-magnus": Stretch("wide-lunge", ("thigh",), (Move("hip", start_at=(-30, -70), to=(90, 0)),)),
    "adductor-brevis": Stretch("butterfly", ("thigh",), KNEES_DOWN),
    "gracilis": Stretch("legs-apart", ("thigh",), (Move("shoulders", start_at=(0, -150), to=(0, 60)),)),
    **dict.fromkeys(
        ("biceps-femoris", "semitendinosus", "semimembranosus"),
        Stretch("lie-leg-raised", ("thigh",), (Move("hip", radius=230, start=120, end=160),)),
    ),
    # leg and foot
    **dict.fromkeys(
        ("tibialis-anterior", "extensor-digitorum-longus", "extensor-hallucis-longus"),
        Stretch("sit-ankle-on-knee", ("shank",), (FOOT_DOWN,)),
    ),
    **dict.fromkeys(
        ("fibularis-longus", "fibularis-brevis", "fibularis-tertius", "tibialis-posterior"),
        Stretch("sit-ankle-on-knee", ("shank",), (FOOT_TURN,)),
    ),
    "gastrocnemius": Stretch("wall-calf", ("shank",), (LEAN_IN,)),
    "plantaris": Stretch("wall-calf", ("shank",), (LEAN_IN,)),
    "soleus": Stretch("wall-calf-bent", ("shank",), (Move("hip", start_at=(-20, -20), to=(50, 50)),)),
    "popliteus": Stretch("sit-leg-straight", ("shank",), (FOOT_TURN,)),
    "flexor-digitorum-longus": Stretch("wall-calf", ("shank", "foot"), (LEAN_IN,)),
    "flexor-hallucis-longus": Stretch("wall-calf", ("shank", "foot"), (LEAN_IN,)),
    **dict.fromkeys(
        ("extensor-digitorum-brevis", "extensor-hallucis-brevis", "dorsal-interossei-foot"),
        Stretch("sit-ankle-on-knee", ("foot",), (TOES_DOWN,)),
    ),
    **dict.fromkeys(
        (
            "abductor-hallucis",
            "flexor-digitorum-brevis",
            "abductor-digiti-minimi-foot",
            "quadratus-plantae",
            "lumbricals-foot",
            "flexor-hallucis-brevis",
            "adductor-hallucis",
            "flexor-digiti-minimi-brevis-foot",
            "plantar-interossei-foot",
        ),
        Stretch("sit-ankle-on-knee", ("foot",), (TOES_BACK,)),
    ),
}


MARGIN = 40  # round a picture's contents, in figure units
PROP_EXTENT = {"seat": (80, 0), "ball": (25, 25)}


def _box(points) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _svg(
    view_box: tuple[float, float, float, float], body: list[str], label: str, height: float = PICTURE_PX
) -> Markup:
    """An inline picture of ``body`` cropped to ``view_box``, ``height`` CSS px tall (or narrower if wide)."""
    x1, y1, x2, y2 = view_box
    scale = min(height / (y2 - y1), PICTURE_MAX_PX / (x2 - x1))
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="selfcare-picture"'
        f' viewBox="{x1:.0f} {y1:.0f} {x2 - x1:.0f} {y2 - y1:.0f}"'
        f' width="{(x2 - x1) * scale:.0f}" height="{(y2 - y1) * scale:.0f}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>" + "".join(body) + "</svg>"
    )


def _posed(stretch: Stretch, label: str) -> Markup:
    """A stretch on the posed body."""
    body_pose = POSES[stretch.pose]
    joints = skeleton(body_pose)
    drawn = body_svg(body_pose, joints, stretch.feel)
    points = [joints[j] for j in stretch.frame] or list(joints.values())
    for kind, x, y, size in () if stretch.frame else body_pose.props:
        reach = PROP_EXTENT.get(kind, (size if kind in ("floor",) else 0, 0))
        if kind in ("table", "bed"):
            points += [(x, y), (x + size, y + 30)]
        elif kind in ("wall", "frame"):
            points += [(x, max(y, min(p[1] for p in joints.values()) - 60)), (x + 18, y + size)]
        elif kind == "seat":
            points += [(x - 70, y), (x + 70, y + size + 16)]
        else:
            points += [(x - reach[0], y), (x + reach[0], y + reach[1])]
    if body_pose.behind:
        drawn = ['<g transform="scale(-1 1)">', *drawn, "</g>"]
        points = [(-x, y) for x, y in points]
    arrows = []
    for move in stretch.moves:
        flip = body_pose.behind
        mirrored = {k: ((-x, y) if flip else (x, y)) for k, (x, y) in joints.items()}
        arrows.append(move.svg(mirrored))
        points += move.points(mirrored)
    x1, y1, x2, y2 = _box(points)
    top = (min(y1, joints["head"][1] - HEAD[1]) if "head" in stretch.frame or not stretch.frame else y1) - MARGIN
    return _svg((x1 - MARGIN - HEAD[0], top, x2 + MARGIN + HEAD[0], y2 + MARGIN), drawn + arrows, label)


def stretch_svg(muscle: str, label: str) -> Markup | None:
    """The picture of a muscle's stretch, labelled for screen readers, or None if it has none."""
    stretch = STRETCHES.get(muscle)
    return _posed(stretch, label) if stretch and stretch.pose else (_detail(stretch, label) if stretch else None)


# --- pictures on the body map's own views ---------------------------------------------------------------------

CLOSE_UP = 170  # the side of the square a pressure picture shows round its point on a whole-body view, in units


def _view_box(view: str) -> tuple[float, float, float, float]:
    _, _, width, height = map(float, VIEWS[view]["viewBox"].split())
    return 0, 0, width, height


def _half(view: str) -> tuple[float, float, float, float]:
    """The half of a detail view that shows the patient's right."""
    _, _, width, height = _view_box(view)
    return (0, 0, width / 2, height) if VIEWS[view]["viewer_left"] == MAP_SIDE else (width / 2, 0, width, height)


def _view_drawing(view: str, regions: tuple[str, ...], box: tuple[float, float, float, float]) -> list[str]:
    """The body as the map draws it on a view, the regions painted, cropped later to ``box``."""
    drawn = VIEWS[view]
    stroke = (box[3] - box[1]) / PICTURE_PX  # one CSS px
    out = [f'<path d="{drawn["outline"]}" fill="{SKIN}" stroke="{EDGE}" stroke-width="{1.5 * stroke:.2f}"/>']
    for region in regions:
        shape = drawn["regions"].get(key(region, MAP_SIDE))
        if shape:
            out.append(f'<path class="feel" d="{shape["path"]}" fill="{FEEL}" opacity="0.8"/>')
    if drawn["features"]:
        out.append(f'<path d="{drawn["features"]}" fill="none" stroke="{EDGE}" stroke-width="{stroke:.2f}"/>')
    return out


def _detail(stretch: Stretch, label: str) -> Markup:
    """A stretch shown on a detail view of the body map (the face, the jaw)."""
    box = _half(stretch.view)
    width = (box[3] - box[1]) * ARROW_WIDTH / 800 * 2.5
    arrows = [arrow_line(a, b, width) for a, b in stretch.arrows]
    return _svg(box, _view_drawing(stretch.view, stretch.regions, box) + arrows, label)


# Self-pressure: the tool an instruction names, by its words. A line that warns or forbids is no instruction.
NOT_AN_INSTRUCTION = re.compile(r"^(stop|do not|don't|avoid|if |see |move the ball|ease)|\bdo not press\b", re.I)
TOOLS = (  # (tool, words), the first that matches
    ("ball", re.compile(r"\b(ball|roller)\b", re.I)),
    ("pinch", re.compile(r"\b(pinch|squeez|grasp|grip|pick up|pick the)\w*|between (your )?thumb and", re.I)),
    ("rub", re.compile(r"\b(rub|strok|knead|massag|circles)\w*", re.I)),
    ("press", re.compile(r"\b(press|pressure)\w*", re.I)),
)


TOOL_WORDS = {"ball": "lean on the ball", "pinch": "pinch", "rub": "rub", "press": "press"}


def pressure_tool(instruction: str) -> str | None:
    """How an instruction has the reader press: ``ball``, ``pinch``, ``rub`` or ``press``; None for a line
    that is not a self-pressure instruction (heat, posture, a warning)."""
    if NOT_AN_INSTRUCTION.search(instruction.strip()):
        return None
    return next((tool for tool, words in TOOLS if words.search(instruction)), None)


def _close_up(view: str, x: float, y: float) -> tuple[float, float, float, float]:
    if view not in ("front", "back"):
        return _half(view)
    _, _, width, height = _view_box(view)
    half = CLOSE_UP / 2
    x1 = min(max(x - half, 0), width - CLOSE_UP)
    y1 = min(max(y - half, 0), height - CLOSE_UP)
    return x1, y1, x1 + CLOSE_UP, y1 + CLOSE_UP


def _tool(tool: str, x: float, y: float, size: float) -> list[str]:
    """The glyph of a tool pressing at (x, y); size: the picture's height in units."""
    width, r = size * 0.028, size * 0.05
    ring = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="none" stroke="{INK}" stroke-width="{width / 2:.2f}"/>'
    if tool == "ball":
        ball = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r * 1.6:.1f}" fill="{BALL}" stroke="{BALL_EDGE}"'
            f' stroke-width="{width / 2:.2f}"/>'
        )
        return [ball, arrow_line((x + size * 0.3, y - size * 0.3), (x + r * 1.9, y - r * 1.9), width)]
    if tool == "pinch":
        gap = r * 1.3
        return [
            arrow_line((x - size * 0.3, y), (x - gap, y), width),
            arrow_line((x + size * 0.3, y), (x + gap, y), width),
        ]
    if tool == "rub":
        return [ring, arrow_turn((x, y), r * 2.6, 120, 420, width)]
    return [ring, arrow_line((x + size * 0.3, y - size * 0.3), (x + r * 1.2, y - r * 1.2), width)]


def pressure_svg(point: str, instruction: str) -> Markup | None:
    """The picture of a self-pressure instruction for a trigger point: a close view round the point's own
    site, its region painted, the tool pressing there; None when the line is not a self-pressure instruction."""
    tool = pressure_tool(instruction)
    site = SITES.get(point)
    if not tool or not site:
        return None
    view, x, y = site["view"], site["x"], site["y"]
    box = _close_up(view, x, y)
    label = f"Drawing of where to {TOOL_WORDS[tool]}"
    drawing = _view_drawing(view, (site["region"],), box)
    return _svg(box, [*drawing, *_tool(tool, x, y, box[3] - box[1])], label, PRESSURE_PX)
