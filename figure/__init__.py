"""The body figure: drawn once by :mod:`figure.draw` into ``bodymap.json`` (with the zones drawn as the manuals
draw them, :mod:`figure.zones`); :mod:`figure.body` reads it (regions, views, the selection map);
:mod:`figure.maps` draws referral maps on it and :mod:`figure.selfcare` the self-care pictures."""
