"""The victories page's world map: shapes drawn on the server as SVG.

The shapes come from `cases/data/world_map.json`, built from Natural Earth by
`scripts/build_world_map.py` (`make world-map`). Countries with a victory are links to the
list filtered on them (`?pays=XX`, the page's own filter); the others are one path of land.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import ngettext
from django_countries import countries as all_countries

DATA = Path(__file__).resolve().parent / "data" / "world_map.json"


@cache
def shapes() -> dict:
    return json.loads(DATA.read_text())


@dataclass(frozen=True)
class MapCountry:
    code: str
    name: str
    count: int
    path: str  # empty for a country too small for the shapes: a dot only
    x: float | None
    y: float | None
    selected: bool
    MIDDLE = 500  # half the map's width: a name goes towards the wider side

    # Where the name shows on hover and focus: beside the dot, on the side with room.
    @property
    def label_anchor(self) -> str:
        return "end" if (self.x or 0) > self.MIDDLE else "start"

    @property
    def label_x(self) -> float:
        return round((self.x or 0) + (-16 if self.label_anchor == "end" else 16), 1)

    @property
    def label_y(self) -> float:
        return round((self.y or 0) + 8, 1)

    @property
    def label(self) -> str:
        return ngettext(
            "%(country)s : %(count)s victoire", "%(country)s : %(count)s victoires", self.count
        ) % {"country": self.name, "count": self.count}


def world_map(counts: dict[str, int], selected: str = "") -> dict | None:
    """What the template draws: the land, then each country with a victory.

    ``counts`` maps ISO codes to their number of victories, in the order the table lists
    them; None when there is none.
    """
    if not counts:
        return None
    data = shapes()
    names = dict(all_countries)
    marked = []
    for code, count in counts.items():
        point = data["points"].get(code)
        marked.append(
            MapCountry(
                code=code,
                name=str(names.get(code, code)),
                count=count,
                path=data["countries"].get(code, ""),
                x=point[0] if point else None,
                y=point[1] if point else None,
                selected=code == selected,
            )
        )
    land = "".join(d for code, d in data["countries"].items() if code not in counts)
    return {
        "width": data["width"],
        "height": data["height"],
        "land": land + data["land"],
        "countries": marked,
    }
