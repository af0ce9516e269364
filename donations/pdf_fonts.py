"""The Unicode TrueType font every PDF embeds (TEMPORARY: replaced by issue 8's font)."""

FONT_REGULAR = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
