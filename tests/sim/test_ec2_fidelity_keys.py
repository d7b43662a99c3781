"""Key pairs as EC2 documents them: fingerprint algorithms, import validation, public keys, tags.

Fingerprints (KeyPairInfo in the EC2 API reference, and "Verify the fingerprint of your key pair" in the EC2
User Guide): a created RSA key is the SHA-1 of its PKCS#8 DER private key; an imported RSA key is the MD5 of
its DER public key; ED25519 keys (created or imported) are the base64 SHA-256 that OpenSSH 6.8+ prints.
The expected values below were computed once with ssh-keygen and openssl, not with awsprep's code.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from awsprep.sim import AwsError, World, ec2, run_cli

RSA_PUB = (
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC3Ty2wnNyQkhcWqf7FzcqFEDjioPmAdehNgHqz1q2QUGleg3g1uJNpxZYYCU+hOmzjgG4GOh"
    "dYHjp6Va0NGUEAaSxQZkEtYGeo0t2T/2giew7HrC/GeEbJpabdccNjhg4eXw5eOYhg4WT+i5jdHRIbTV/wsWTjt/yjZBsdyQ9Hw6bUVVs9aCZXy"
    "vUKWzALQGB9jbHiHGe0bR71F9hyMJEu+DOIBL6ADyVP3WP2oN1sdNpnz2izKz4NfDYd37/0vDf82g2dwSMHqExaoHBZKm0r2oDXvsh7SmEEng1"
    "RbGo86LYeWSeB2VlbMZq/SsSV4QpH+pkb7xVCFA8c/IXnF7qf my-key"
)
# ssh-keygen -ef rsa.pub -m PKCS8 | openssl pkey -pubin -outform DER | openssl md5 -c
RSA_IMPORTED_FP = "b4:ca:22:a1:37:a3:7b:ef:7b:9b:3d:db:4d:e7:ad:08"
ED_PUB = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdNeBiG1cT+hZfbCEvWUd4a1vcTyXioHSml11kNICji my-key"
# ssh-keygen -lf ed.pub prints SHA256:42QrKjO8FMfrQP/qQvprwTze3P0QxApKdSjswHMUals (EC2 keeps the base64 padding)
ED_FP = "42QrKjO8FMfrQP/qQvprwTze3P0QxApKdSjswHMUals="
ECDSA_PUB = (
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEjryG+Dc95/542KmoGEqGFniCijFdzArp6VUjx"
    "kpXplRgBzvjwEjEyDd90l+Vc5mR+4Ktiy005hd8B8L1aNoPM= user@host"
)


def err(world: World, op: str, **params: object) -> AwsError:
    with pytest.raises(AwsError) as info:
        world.call("ec2", op, dict(params))
    return info.value


def test_imported_keys_get_the_documented_fingerprints(world: World) -> None:
    rsa = world.call("ec2", "ImportKeyPair", {"KeyName": "laptop", "PublicKeyMaterial": RSA_PUB.encode()})
    assert rsa["KeyFingerprint"] == RSA_IMPORTED_FP
    ed = world.call("ec2", "ImportKeyPair", {"KeyName": "laptop-ed", "PublicKeyMaterial": ED_PUB.encode()})
    assert ed["KeyFingerprint"] == ED_FP
    pairs = {p["KeyName"]: p for p in world.call("ec2", "DescribeKeyPairs", {})["KeyPairs"]}
    assert (pairs["laptop"]["KeyType"], pairs["laptop"]["KeyFingerprint"]) == ("rsa", RSA_IMPORTED_FP)
    assert (pairs["laptop-ed"]["KeyType"], pairs["laptop-ed"]["KeyFingerprint"]) == ("ed25519", ED_FP)


def test_import_refuses_what_is_not_an_openssh_public_key(world: World) -> None:
    bad = [
        b"garbage",
        b"ssh-rsa AAA",  # a key type with a truncated body
        b"ssh-rsa " + base64.b64encode(b"\x00\x00\x00\x07ssh-dss"),  # blob of another type
        b"ssh-ed25519 " + base64.b64encode(base64.b64decode(ED_PUB.split()[1])[:-4]),  # a key 4 bytes short
        ECDSA_PUB.encode(),  # EC2 imports RSA and ED25519 only
    ]
    for material in bad:
        e = err(world, "ImportKeyPair", KeyName="k", PublicKeyMaterial=material)
        assert (e.code, e.message) == ("InvalidKey.Format", "Key is not in valid OpenSSH public key format"), material
    assert world.call("ec2", "DescribeKeyPairs", {})["KeyPairs"] == []


def test_import_accepts_the_rfc4716_form_too(world: World) -> None:
    body = RSA_PUB.split()[1]
    lines = [body[i : i + 70] for i in range(0, len(body), 70)]
    rfc = (
        '---- BEGIN SSH2 PUBLIC KEY ----\nComment: "my-key"\n' + "\n".join(lines) + "\n---- END SSH2 PUBLIC KEY ----\n"
    )
    out = world.call("ec2", "ImportKeyPair", {"KeyName": "rfc", "PublicKeyMaterial": rfc.encode()})
    assert out["KeyFingerprint"] == RSA_IMPORTED_FP


def _pem_der(pem: str) -> bytes:
    body = "".join(line for line in pem.strip().splitlines() if not line.startswith("-----"))
    return base64.b64decode(body)


def test_created_rsa_key_is_a_real_pkcs1_key_with_the_sha1_pkcs8_fingerprint(world: World, tmp_path: Path) -> None:
    out = world.call("ec2", "CreateKeyPair", {"KeyName": "web"})
    pem = out["KeyMaterial"]
    assert pem.startswith("-----BEGIN RSA PRIVATE KEY-----\n") and pem.rstrip().endswith(
        "-----END RSA PRIVATE KEY-----"
    )
    assert len(out["KeyFingerprint"].split(":")) == 20  # SHA-1
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: the independent check needs it")
    key = tmp_path / "web.pem"
    key.write_text(pem)
    der = subprocess.run(
        ["openssl", "pkcs8", "-in", str(key), "-inform", "PEM", "-outform", "DER", "-topk8", "-nocrypt"],
        capture_output=True,
        check=True,
    ).stdout
    digest = hashlib.sha1(der).hexdigest()
    assert out["KeyFingerprint"] == ":".join(digest[i : i + 2] for i in range(0, 40, 2))
    check = subprocess.run(
        ["openssl", "rsa", "-in", str(key), "-check", "-noout"], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0 and "RSA key ok" in check.stdout
    modulus = subprocess.run(
        ["openssl", "rsa", "-in", str(key), "-noout", "-text"], capture_output=True, text=True, check=False
    )
    assert "2048 bit" in modulus.stdout


def test_include_public_key_returns_the_openssh_public_key(world: World, tmp_path: Path) -> None:
    created = world.call("ec2", "CreateKeyPair", {"KeyName": "web"})
    world.call("ec2", "ImportKeyPair", {"KeyName": "laptop", "PublicKeyMaterial": RSA_PUB.encode()})
    plain = world.call("ec2", "DescribeKeyPairs", {})["KeyPairs"]
    assert all("PublicKey" not in p for p in plain)
    pairs = {p["KeyName"]: p for p in world.call("ec2", "DescribeKeyPairs", {"IncludePublicKey": True})["KeyPairs"]}
    assert pairs["laptop"]["PublicKey"].split()[:2] == RSA_PUB.split()[:2]
    assert pairs["web"]["PublicKey"].startswith("ssh-rsa AAAAB3NzaC1yc2E")
    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen is not installed: the independent check needs it")
    key = tmp_path / "web.pem"
    key.write_text(created["KeyMaterial"])
    key.chmod(0o600)
    derived = subprocess.run(["ssh-keygen", "-y", "-f", str(key)], capture_output=True, text=True, check=True)
    assert derived.stdout.split()[:2] == pairs["web"]["PublicKey"].split()[:2]


def test_created_ed25519_key_fingerprint_is_sha256_of_its_public_key(world: World, tmp_path: Path) -> None:
    out = world.call("ec2", "CreateKeyPair", {"KeyName": "ed", "KeyType": "ed25519"})
    assert out["KeyMaterial"].startswith("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    pub = world.call("ec2", "DescribeKeyPairs", {"KeyNames": ["ed"], "IncludePublicKey": True})["KeyPairs"][0]
    blob = base64.b64decode(pub["PublicKey"].split()[1])
    assert out["KeyFingerprint"] == base64.b64encode(hashlib.sha256(blob).digest()).decode()
    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen is not installed: the independent check needs it")
    key = tmp_path / "ed.pem"
    key.write_text(out["KeyMaterial"])
    key.chmod(0o600)
    derived = subprocess.run(["ssh-keygen", "-y", "-f", str(key)], capture_output=True, text=True, check=True)
    assert derived.stdout.split()[:2] == pub["PublicKey"].split()[:2]
    printed = subprocess.run(["ssh-keygen", "-lf", str(key)], capture_output=True, text=True, check=True).stdout
    assert printed.split()[1] == "SHA256:" + out["KeyFingerprint"].rstrip("=")


def test_created_keys_differ_and_ssh_matches_only_its_own_key(world: World) -> None:
    a = world.call("ec2", "CreateKeyPair", {"KeyName": "a"})
    b = world.call("ec2", "CreateKeyPair", {"KeyName": "b"})
    assert a["KeyFingerprint"] != b["KeyFingerprint"] and _pem_der(a["KeyMaterial"]) != _pem_der(b["KeyMaterial"])
    backend = ec2.backend(world)
    assert backend.key_matches("a", a["KeyMaterial"]) and not backend.key_matches("a", b["KeyMaterial"])
    again = World(seed=7)
    assert again.call("ec2", "CreateKeyPair", {"KeyName": "a"})["KeyMaterial"] == a["KeyMaterial"]  # seeded


def test_create_and_import_return_the_tags_they_were_given(world: World) -> None:
    spec = [{"ResourceType": "key-pair", "Tags": [{"Key": "env", "Value": "lab"}]}]
    created = world.call("ec2", "CreateKeyPair", {"KeyName": "k1", "TagSpecifications": spec})
    assert created["Tags"] == [{"Key": "env", "Value": "lab"}]
    imported = world.call(
        "ec2", "ImportKeyPair", {"KeyName": "k2", "PublicKeyMaterial": ED_PUB.encode(), "TagSpecifications": spec}
    )
    assert imported["Tags"] == [{"Key": "env", "Value": "lab"}]
    described = world.call("ec2", "DescribeKeyPairs", {"KeyNames": ["k2"]})["KeyPairs"][0]
    assert described["Tags"] == [{"Key": "env", "Value": "lab"}]
    untagged = world.call("ec2", "CreateKeyPair", {"KeyName": "k3"})
    assert "Tags" not in untagged or untagged["Tags"] == []


def test_cli_import_key_pair_from_a_file(world: World, tmp_path: Path, no_network: None) -> None:
    (tmp_path / "id_ed25519.pub").write_text(ED_PUB + "\n")
    (tmp_path / "junk.pub").write_text("not a key\n")
    ok = run_cli(
        world,
        ["ec2", "import-key-pair", "--key-name", "mine", "--public-key-material", "fileb://id_ed25519.pub"],
        file_root=tmp_path,
    )
    assert ok.exit_code == 0, ok.stderr
    assert ED_FP in ok.stdout
    bad = run_cli(
        world,
        ["ec2", "import-key-pair", "--key-name", "junk", "--public-key-material", "fileb://junk.pub"],
        file_root=tmp_path,
    )
    assert bad.exit_code == 255
    assert bad.stderr.strip() == (
        "An error occurred (InvalidKey.Format) when calling the ImportKeyPair operation: "
        "Key is not in valid OpenSSH public key format"
    )
