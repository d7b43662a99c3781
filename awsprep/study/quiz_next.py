"""What to do after a quiz: the next command to type, and misconception tags read as words.

Tags are slugs authors write beside wrong options (`alb-supports-udp`); there are hundreds, so they are turned into
words by rule (hyphens to spaces, AWS acronyms in capitals) rather than by a description kept for each.
"""

from __future__ import annotations

from collections.abc import Sequence

from awsprep.study.quiz import ItemResult, Summary

ACRONYMS = {
    "acl", "alb", "ami", "api", "apigw", "arn", "asg", "aws", "az", "azs", "cdn", "cidr", "cli", "cpu", "dns",
    "ebs", "ec2", "efs", "eip", "eips", "elb", "eni", "gb", "http", "https", "iam", "id", "ids", "imds", "io",
    "ip", "ips", "ipv4", "ipv6", "json", "kms", "lt", "mfa", "mib", "nat", "nacl", "nlb", "os", "ram", "rds",
    "s3", "sdk", "sg", "sgs", "sns", "sqs", "ssh", "ssl", "sts", "tcp", "tls", "ttl", "udp", "url", "vpc",
    "vcpu", "vcpus", "xml", "yaml",
}  # fmt: skip


def readable(tag: str) -> str:
    """`alb-supports-udp` -> "ALB supports UDP"."""
    words = [w.upper() if w in ACRONYMS else w for w in tag.split("-")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def next_steps(summary: Summary, results: Sequence[ItemResult]) -> list[str]:
    """The commands to type next: study the weakest topic of this quiz, then retake what was missed."""
    missed_topics = list(dict.fromkeys(r.presented.topic for r in results if not r.correct))
    if not missed_topics:
        return ["awsprep quiz --new" if summary.total else "awsprep quiz"]
    weakest = min(missed_topics, key=lambda t: summary.by_topic[t][0] / max(1, summary.by_topic[t][1]))
    retake = " ".join(f"--topic {t}" for t in missed_topics)
    return [f"awsprep study {weakest}", f"awsprep quiz --missed {retake}"]
