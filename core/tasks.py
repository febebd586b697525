from django.tasks import task


@task
def send_notification(*, channel, recipient, subject, body, user_id=None, kind=""):
    from core.notify import deliver

    log = deliver(channel=channel, recipient=recipient, subject=subject, body=body, user_id=user_id, kind=kind)
    return log.pk if log else None
