"""How often one network or one address may send the gift form (each sends an email)."""

from core.ratelimit import RateLimit

GIFT_PER_NETWORK = (
    RateLimit("donations.gift.ip.hour", limit=30, window=60 * 60),
    RateLimit("donations.gift.ip.day", limit=300, window=60 * 60 * 24),
)
GIFT_PER_EMAIL = (RateLimit("donations.gift.email.hour", limit=5, window=60 * 60),)
