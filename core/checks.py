"""System checks of Fengchao's own (``manage.py check``; the deploy ones with ``--deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from config.env import secret_key_problem


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    """Django's own W009 passes our published development key (long, varied, no
    ``django-insecure-`` prefix), so ``check --deploy`` said nothing about it."""
    problem = secret_key_problem(settings.SECRET_KEY)
    if problem is None:
        return []
    return [Error(problem, hint="Set SECRET_KEY to a long random value from the environment.",
                  id="fengchao.E001")]
