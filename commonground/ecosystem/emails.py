"""The network survey's e-mails: the invitation and the reminder, each a text and an HTML
part rendered in its recipient's language (``ecosystem/email/survey_*.txt|html``).

They go through Django's e-mail (the ``default`` mailer of ``MAILERS``: the console in the
demo and in development, SMTP in production, memory in tests). Services call
:func:`send_survey_link` inside the transaction that records the sending, so a failed send
leaves nothing recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from django.core.mail import EmailMultiAlternatives, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from commonground.ecosystem.models import SurveyInvitation
from commonground.ecosystem.survey_selectors import Recipient

MailKind = Literal["invitation", "reminder"]


def absolute(base_url: str, path: str) -> str:
    """``base_url`` (scheme and host, e.g. ``https://cg.example.org``) joined to ``path``."""
    return base_url.rstrip("/") + path


def survey_link_messages(
    *,
    kind: MailKind,
    invitation: SurveyInvitation,
    token: str,
    recipients: Sequence[Recipient],
    base_url: str,
    sender: str = "",
) -> list[EmailMultiAlternatives]:
    """One message per recipient, in the recipient's language, carrying the personal link."""
    coalition = invitation.coalition
    link = absolute(base_url, reverse("ecosystem:respond", args=[token]))
    answer_url = absolute(
        base_url, reverse("ecosystem:survey_answer", args=[coalition.slug, invitation.pk])
    )
    messages = []
    for recipient in recipients:
        with translation.override(recipient.language):
            context = {
                "kind": kind,
                "recipient": recipient,
                "coalition_name": coalition.name,
                "survey_title": invitation.survey.title,
                "organization": invitation.actor.name,
                "link": link,
                "answer_url": answer_url if recipient.is_member else "",
                "sender": sender or coalition.name,
                "reminder_count": invitation.reminder_count,
            }
            if kind == "invitation":
                subject = _("%(coalition)s: the partner network survey for %(organization)s")
            else:
                subject = _("Reminder: %(coalition)s's partner network survey for %(organization)s")
            subject %= {"coalition": coalition.name, "organization": invitation.actor.name}
            text = render_to_string(f"ecosystem/email/survey_{kind}.txt", context)
            html = render_to_string(f"ecosystem/email/survey_{kind}.html", context)
        message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text)
        message.to = [recipient.email]
        message.attach_alternative(html, "text/html")
        messages.append(message)
    return messages


def send_survey_link(
    *,
    kind: MailKind,
    invitation: SurveyInvitation,
    token: str,
    recipients: Sequence[Recipient],
    base_url: str,
    sender: str = "",
) -> int:
    """Send the link to every recipient; return how many messages went out.

    Raises what the mail backend raises (``OSError``, ``smtplib.SMTPException``) when the
    messages cannot be handed over.
    """
    messages = survey_link_messages(
        kind=kind,
        invitation=invitation,
        token=token,
        recipients=recipients,
        base_url=base_url,
        sender=sender,
    )
    if not messages:
        return 0
    return int(mailers.default.send_messages(messages) or 0)
