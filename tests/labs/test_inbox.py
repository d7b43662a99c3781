"""The sandbox's `inbox`: SNS email in the learner's mailbox, the confirmation link as a command."""

from __future__ import annotations

from awsprep.labs.shell import Shell
from awsprep.sim import sns

from .conftest import ok


def _subscribe(shell: Shell) -> None:
    ok(shell, "T=$(aws sns create-topic --name alerts --query TopicArn --output text)")
    ok(shell, "aws sns subscribe --topic-arn $T --protocol email --notification-endpoint me@example.com")


def test_empty_inbox_says_how_mail_arrives(shell: Shell) -> None:
    r = ok(shell, "inbox")
    assert "Your inbox is empty" in r.stdout and "--protocol email" in r.stdout


def test_confirmation_then_notifications(shell: Shell) -> None:
    _subscribe(shell)
    listing = ok(shell, "inbox").stdout
    assert "AWS Notification - Subscription Confirm…" in listing and "*" in listing
    assert max(len(line) for line in listing.splitlines()) <= 80
    shown = ok(shell, "inbox show 1").stdout
    assert shown.startswith("From: AWS Notifications <no-reply@sns.amazonaws.com>\nTo: me@example.com\n")
    assert "Confirm subscription" in shown and "type: inbox confirm 1" in shown
    ok(shell, "aws sns publish --topic-arn $T --message before")  # still pending: nothing arrives
    assert len(sns.inbox(shell.world)) == 1
    confirmed = ok(shell, "inbox confirm 1").stdout
    assert confirmed.startswith("Subscription confirmed!") and "arn:aws:sns:us-east-1:111122223333:alerts:" in confirmed
    r = ok(shell, "aws sns list-subscriptions --query Subscriptions[0].SubscriptionArn --output text")
    assert r.stdout.strip().startswith("arn:aws:sns:")
    ok(shell, "aws sns publish --topic-arn $T --subject 'Disk full' --message 'Volume at 95%'")
    listing = ok(shell, "inbox").stdout
    assert "Disk full" in listing
    mail = ok(shell, "inbox show 2").stdout
    assert "Subject: Disk full\n\nVolume at 95%\n" in mail and "unsubscribe" in mail


def test_bad_inbox_commands(shell: Shell) -> None:
    r = shell.run_line("inbox show 3")
    assert (r.exit_code, r.stderr) == (1, "inbox: no message 3 (messages: none yet)\n")
    r = shell.run_line("inbox frobnicate")
    assert r.exit_code == 2 and r.stderr.startswith("usage: inbox")
    _subscribe(shell)
    ok(shell, "inbox confirm 1")
    ok(shell, "aws sns publish --topic-arn $T --message m")
    r = shell.run_line("inbox confirm 2")
    assert r.exit_code == 1 and "not a subscription confirmation" in r.stderr
    ok(shell, "aws sns delete-topic --topic-arn $T")
    r = shell.run_line("inbox confirm 1")
    assert r.exit_code == 1 and "the link no longer works (NotFound: Topic does not exist)" in r.stderr
