"""`make audit`'s arithmetic: the sitemap's paths, and what a Lighthouse report weighs."""

from core.audit import sitemap_paths
from core.management.commands.audit import lighthouse_figures


def test_the_sitemap_gives_paths_with_their_query():
    xml = (
        "<urlset><url><loc>http://example.org/</loc></url>"
        "<url><loc>http://example.org/en/victories/?pays=TR</loc></url></urlset>"
    )
    assert sitemap_paths(xml) == ["/", "/en/victories/?pays=TR"]


def test_the_first_view_weighs_what_it_transferred_with_and_without_images():
    def audit(score, value=None):
        return {"score": score, "scoreDisplayMode": "numeric", "numericValue": value}

    report = {
        "lighthouseVersion": "12.2.3",
        "categories": {
            "performance": {"score": 0.96},
            "accessibility": {"score": 1},
            "best-practices": {"score": 1},
            "seo": {"score": 1},
        },
        "audits": {
            "cumulative-layout-shift": audit(1, 0),
            "largest-contentful-paint": audit(0.9, 2100.0),
            "network-requests": {
                "details": {
                    "items": [
                        {"resourceType": "Document", "transferSize": 12_000},
                        {"resourceType": "Stylesheet", "transferSize": 6_000},
                        {"resourceType": "Font", "transferSize": 16_900},
                        {"resourceType": "Image", "transferSize": 90_000},
                        {"resourceType": "Image", "transferSize": 40_000},
                    ]
                }
            },
        },
    }
    figures = lighthouse_figures(report)
    assert figures["performance"] == 96 and figures["seo"] == 100
    assert figures["bytes"] == 164_900
    assert figures["bytes_without_images"] == 34_900
    assert figures["font_bytes"] == 16_900
    assert figures["cls"] == 0
    assert figures["failed_audits"] == ["largest-contentful-paint"]
