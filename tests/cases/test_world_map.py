"""The victories page's world map: drawn on the server, countries with a victory filter the
list, a table gives screen readers the same figures."""

import json

import lxml.html
import pytest
from django_countries import countries

from cases.world_map import DATA
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def the_map(html: str):
    document = lxml.html.fromstring(html)
    return document, document.xpath('//figure[@class="world-map"]/svg')


def test_each_country_with_a_victory_is_a_link_that_filters_the_list(client, skotchilenko, taner):
    CaseFactory(country="TR", name="Eren Keskin")
    document, svgs = the_map(client.get("/victoires/").content.decode())
    assert len(svgs) == 1
    links = {a.get("href"): a.findtext("title") for a in svgs[0].iter("a")}
    assert links == {
        "/victoires/?pays=RU#victoires-liste": "Russie\u00a0: 1 victoire",
        "/victoires/?pays=TR#victoires-liste": "Turquie\u00a0: 2 victoires",
    }
    html = client.get("/victoires/?pays=TR").content.decode()
    assert "Taner Kılıç" in html and "Alexandra Skotchilenko" not in html
    selected = the_map(html)[1][0].xpath(".//a[@aria-current]")
    assert [a.get("href") for a in selected] == ["/victoires/?pays=TR#victoires-liste"]


def test_a_table_gives_the_same_figures_to_screen_readers(client, skotchilenko, taner):
    CaseFactory(country="TR", name="Eren Keskin")
    document, _svgs = the_map(client.get("/victoires/").content.decode())
    table = document.xpath('//table[@class="visually-hidden"]')[0]
    assert table.findtext("caption") == "Victoires par pays"
    rows = [[cell.text_content() for cell in row] for row in table.xpath("./tbody/tr")]
    assert rows == [["Russie", "1"], ["Turquie", "2"]]


def test_the_english_map_names_the_countries_in_english(client, skotchilenko):
    _document, svgs = the_map(client.get("/en/victories/").content.decode())
    titles = [a.findtext("title") for a in svgs[0].iter("a")]
    assert titles == ["Russia: 1 victory"]


def test_the_map_has_no_style_attribute_and_its_figures_are_never_localised(client, skotchilenko):
    CaseFactory(country="MT", name="Daphne Exemple")  # too small for the shapes: a dot
    html = client.get("/victoires/").content.decode()
    _document, svgs = the_map(html)
    svg = svgs[0]
    assert svg.get("viewbox") == "0 0 1000 438"
    assert not [el for el in svg.iter() if el.get("style") is not None]
    dots = svg.xpath(".//circle")
    assert len(dots) == 2
    for dot in dots:
        float(dot.get("cx")), float(dot.get("cy"))  # "587.6", never "587,6"
    malta = [a for a in svg.iter("a") if a.get("href").endswith("pays=MT#victoires-liste")][0]
    assert malta.xpath("./path") == [] and len(malta.xpath("./circle")) == 1


def test_no_victory_no_map(client):
    assert the_map(client.get("/victoires/").content.decode())[1] == []


def test_the_shapes_are_keyed_by_known_iso_codes_and_every_shape_has_a_dot():
    data = json.loads(DATA.read_text())
    known = set(dict(countries))
    assert set(data["countries"]) <= known
    assert set(data["points"]) <= known
    assert set(data["countries"]) <= set(data["points"])
    assert {"TR", "RU", "SS", "AO", "GT", "BI", "MM", "EG", "PE", "FR"} <= set(data["countries"])
    for x, y in data["points"].values():
        assert 0 <= x <= data["width"] and 0 <= y <= data["height"]
    # Light: the whole map stays small enough for the page's weight budget.
    size = sum(len(d) for d in data["countries"].values()) + len(data["land"])
    assert size < 20_000


def test_each_country_has_its_name_beside_its_dot_towards_the_wider_side(client, taner):
    CaseFactory(country="PE", name="Maxima Exemple", slug="maxima-exemple")
    _document, svgs = the_map(client.get("/victoires/").content.decode())
    texts = {a.findtext("title"): a.xpath("./text")[0] for a in svgs[0].iter("a")}
    assert set(texts) == {"Pérou\u00a0: 1 victoire", "Turquie\u00a0: 1 victoire"}
    for title, text in texts.items():
        assert text.text == title  # shown on hover and focus by the stylesheet
    assert texts["Turquie\u00a0: 1 victoire"].get("text-anchor") == "end"  # east of the middle
    assert texts["Pérou\u00a0: 1 victoire"].get("text-anchor") == "start"
