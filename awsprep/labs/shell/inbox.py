"""`inbox`: the learner's mailbox in the sandbox, where SNS email subscriptions deliver.

`inbox` lists the mail, `inbox show N` prints one message, `inbox confirm N` follows the link of a
subscription-confirmation email (what clicking "Confirm subscription" does on AWS: the subscription is
confirmed and SNS shows its confirmation page).
"""

from __future__ import annotations

from awsprep.labs.shell.base import Result
from awsprep.sim import AwsError, World, sns
from awsprep.sim.core.clock import to_datetime

USAGE = "usage: inbox [show N | confirm N]\n"
SUBJECT_WIDTH = 40


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _date(ts: float) -> str:
    return to_datetime(ts).strftime("%a, %d %b %Y %H:%M:%S +0000")


def _pick(world: World, arg: str) -> tuple[int, sns.Email] | str:
    mails = sns.inbox(world)
    if not arg.isdigit() or not 1 <= int(arg) <= len(mails):
        count = f"1 to {len(mails)}" if mails else "none yet"
        return f"inbox: no message {arg} (messages: {count})\n"
    return int(arg), mails[int(arg) - 1]


def inbox(world: World, args: list[str]) -> Result:
    """List, show or confirm."""
    if not args:
        return _list(world)
    if args[0] in ("show", "confirm") and len(args) == 2:
        picked = _pick(world, args[1])
        if isinstance(picked, str):
            return Result(1, "", picked)
        number, mail = picked
        return _show(number, mail) if args[0] == "show" else _confirm(world, number, mail)
    return Result(2, "", USAGE)


def _list(world: World) -> Result:
    mails = sns.inbox(world)
    if not mails:
        return Result(
            0,
            "Your inbox is empty. (SNS emails subscribed addresses here: aws sns subscribe ... "
            "--protocol email --notification-endpoint you@example.com)\n",
        )
    # 80 columns: a long subject is cut here (`inbox show N` prints it whole)
    lines = [f"{'#':>3}  {'':1} {'UTC':<11}  {'To':<18}  Subject\n"]
    for n, m in enumerate(mails, 1):
        when = to_datetime(m.at).strftime("%m-%d %H:%M")
        subject = m.subject if len(m.subject) <= SUBJECT_WIDTH else m.subject[: SUBJECT_WIDTH - 1] + "…"
        lines.append(f"{n:>3}  {'' if m.read else '*':1} {when:<11}  {_cut(m.to, 18):<18}  {subject}\n")
    lines.append("(* unread)  inbox show N to read one\n")
    return Result(0, "".join(lines))


def _show(number: int, mail: sns.Email) -> Result:
    mail.read = True
    head = f"From: {mail.sender}\nTo: {mail.to}\nDate: {_date(mail.at)}\nSubject: {mail.subject}\n\n"
    hint = ""
    if mail.kind == "confirmation":
        hint = f'\n[sandbox] To follow the "Confirm subscription" link, type: inbox confirm {number}\n'
    return Result(0, head + mail.body + ("" if mail.body.endswith("\n") else "\n") + hint)


def _confirm(world: World, number: int, mail: sns.Email) -> Result:
    if mail.kind != "confirmation":
        return Result(1, "", f"inbox: message {number} is not a subscription confirmation\n")
    try:
        arn = sns.confirm(world, mail.topic_arn, mail.token)
    except AwsError as err:
        return Result(1, "", f"inbox: the link no longer works ({err.code}: {err.message})\n")
    mail.read = True
    return Result(
        0,
        "Subscription confirmed!\n\nYou have successfully subscribed.\n\n"
        f"Your subscription's id is:\n{arn}\n\nIf it was not your intention to subscribe, unsubscribe with:\n"
        f"  aws sns unsubscribe --subscription-arn {arn}\n",
    )
