"""ClipGuard's Django project and platform apps (the design card's ``platform/``).

Not named ``platform``: that would shadow Python's standard-library module.
"""

from clipguard.celery import app as celery_app

__all__ = ["celery_app"]
