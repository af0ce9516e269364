"""How often one network or one address may sign or ask for a link again.

IPv4 limits are generous: a mobile carrier puts thousands of people behind one address
on a campaign day. IPv6 counts per /64 (``core.http.ip_bucket``).
"""

from core.ratelimit import RateLimit

SIGN_PER_NETWORK = (
    RateLimit("petitions.sign.ip.minute", limit=30, window=60),
    RateLimit("petitions.sign.ip.day", limit=2000, window=60 * 60 * 24),
)
SIGN_PER_EMAIL = (RateLimit("petitions.sign.email.hour", limit=5, window=60 * 60),)
RESEND_PER_NETWORK = (RateLimit("petitions.resend.ip.minute", limit=10, window=60),)
RESEND_PER_EMAIL = (RateLimit("petitions.resend.email.hour", limit=3, window=60 * 60),)
