"""One router per resource. ``app.PUBLIC`` lists the routers anonymous visitors may reach (health
probes, login); every router in ``app.SIGNED_IN`` requires a signed-in user, and each of its routes
states the role it needs with ``deps.AnalystUser``, ``ReviewerUser`` or ``AdminUser``."""
