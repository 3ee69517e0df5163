"""The body figure: drawn once by :mod:`figure.draw` into ``bodymap.json``; :mod:`figure.body` reads it
(regions, views, the selection map); :mod:`figure.maps` draws referral maps on it."""
