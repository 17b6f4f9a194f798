"""The product's messages: what each email says, as plain text and as HTML."""

from __future__ import annotations

from markupsafe import Markup, escape

from workbench.services.mail import Message

PRODUCT = "Service Recovery Workbench"


def _html(paragraphs: list[str], link: str, button: str) -> str:
    body = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs[1:])
    return str(
        Markup(
            '<!doctype html><html lang="en"><body style="font-family:sans-serif;line-height:1.5">'
            "<p>{greeting}</p>"
            '<p><a href="{link}">{button}</a></p>'
            "{body}"
            '<p style="color:#555">{product}</p></body></html>'
        ).format(
            greeting=paragraphs[0], link=link, button=button, body=Markup(body), product=PRODUCT
        )
    )


def _text(paragraphs: list[str], link: str) -> str:
    return "\n\n".join([paragraphs[0], link, *paragraphs[1:], f"-- \n{PRODUCT}"]) + "\n"


def password_reset(to: str, name: str, link: str, minutes: int) -> Message:
    """The message with a link to choose a new password."""
    paragraphs = [
        f"Hello {name}, someone asked to reset the password of your account. "
        "Follow this link to choose a new one:",
        f"The link works once, for {minutes} minutes. Choosing a new password signs your "
        "account out on every device and revokes its API tokens.",
        "If you did not ask for this, ignore this message: your password stays as it is.",
    ]
    return Message(
        to,
        "Reset your password",
        _text(paragraphs, link),
        _html(paragraphs, link, "Choose a new password"),
        name,
    )


def invitation(to: str, workspace: str, role: str, inviter: str, link: str, hours: int) -> Message:
    """The invitation to join a workspace, for someone with or without an account."""
    paragraphs = [
        f"Hello, {inviter} invites you to join the workspace “{workspace}” as {role}. "
        "Follow this link to accept:",
        "If you already have an account, log in when asked. If not, create one first with "
        "this email address; the link brings you back here.",
        f"The invitation works once and expires in {hours} hours. If you did not expect it, "
        "ignore this message.",
    ]
    return Message(
        to,
        f"Invitation to “{workspace}”",
        _text(paragraphs, link),
        _html(paragraphs, link, "Accept the invitation"),
    )


def registration_attempt(to: str, name: str, link: str) -> Message:
    """The note to an account's owner that someone tried to register with their address."""
    paragraphs = [
        f"Hello {name}, someone tried to create a new account with your email address, "
        "which already has an account. If it was you and you no longer know your password, "
        "reset it here:",
        "If it was not you, you need not do anything: your account and its password have "
        "not changed.",
    ]
    return Message(
        to,
        "Someone tried to register with your address",
        _text(paragraphs, link),
        _html(paragraphs, link, "Reset your password"),
        name,
    )


def confirm_email(to: str, name: str, link: str, hours: int) -> Message:
    """The message with the link that confirms a new account's address."""
    paragraphs = [
        f"Hello {name}, welcome. Follow this link to confirm your email address and finish "
        "creating your account:",
        f"The link works once, for {hours} hours. If you did not register, ignore this "
        "message: without the link no account is opened with your address.",
    ]
    return Message(
        to,
        "Confirm your email address",
        _text(paragraphs, link),
        _html(paragraphs, link, "Confirm and log in"),
        name,
    )
