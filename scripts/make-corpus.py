#!/usr/bin/env python3
"""Generate the independent corpus in tests/corpus/ (keys, certificates, JWKs,
JWKS files, tokens and expected.json) with Python's `cryptography` and
`openssl`, never with uvtool.

Usage: .venv/bin/python scripts/make-corpus.py [--fresh]
(scripts/setup-python.sh makes .venv)

Every key is random and test-only: the private keys are committed so that the
corpus is reproducible and reviewable; never upload them anywhere. A rerun
reuses the committed keys, so only what changed (and the randomised PS256 and
ECDSA signatures) differs; --fresh makes new keys. Commit the result whole.

All times are relative to one fixed clock, NOW (uvtool gets `--now NOW`). The
expected verdicts are derived from the rules (docs: ../shared/PLATFORM.md and
issue 20 part 2, "one scope and one verdict"), not from what uvtool prints;
`tests/integration/known_answers/corpus.rs` runs every case through every judge of uvtool.
"""

import base64
import datetime
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "corpus")
ROOT = os.path.normpath(ROOT)

# --fresh: new random keys (else the committed ones are reused).
FRESH = "--fresh" in sys.argv[1:]

NOW = 1_800_000_000  # 2027-01-15T08:00:00Z
ISS = "https://issuer.example"
DAY = 86400

# The order the rules run in (README "One judge"; src/policy/tokens.rs ORDER):
# the first error-level failure is the verdict's rule.
ORDER = ["T0", "T1", "T11", "T2", "K*", "T10", "T7", "T14", "T5", "T15", "T13",
         "T4", "T3", "A1", "A2", "A3"]


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64std(data: bytes) -> str:
    return base64.b64encode(data).decode()


def uint(n: int) -> bytes:
    return n.to_bytes((n.bit_length() + 7) // 8, "big")


def dt(t: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc)


# ---------------------------------------------------------------- keys

class Key:
    """A generated key, its self-signed certificate and where they are."""

    def __init__(self, name, bits=2048, e=65537, not_before=NOW - 30 * DAY,
                 not_after=NOW + 365 * DAY, kind="rsa"):
        self.name = name
        self.kind = kind
        saved = os.path.join(ROOT, "keys", f"{name}.key.pem")
        if os.path.exists(saved) and not FRESH:
            # Reuse the committed key: a rerun changes only what it must.
            with open(saved, "rb") as f:
                self.priv = serialization.load_pem_private_key(f.read(), None)
        elif kind == "ec":
            self.priv = ec.generate_private_key(ec.SECP256R1())
        else:
            self.priv = rsa.generate_private_key(public_exponent=e, key_size=bits)
        self.pub = self.priv.public_key()
        subject = x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, f"uvtool corpus {name} (test only; never upload)"),
        ])
        h = hashes.SHA256()
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(self.pub)
            .serial_number(int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big"))
            .not_valid_before(dt(not_before))
            .not_valid_after(dt(not_after))
            .sign(self.priv, h)
        )
        saved_cert = os.path.join(ROOT, "keys", f"{name}.cert.pem")
        if os.path.exists(saved_cert) and not FRESH:
            # Keep the committed certificate when it says the same (an ECDSA
            # signature differs on every run).
            with open(saved_cert, "rb") as f:
                old = x509.load_pem_x509_certificate(f.read())
            if old.tbs_certificate_bytes == self.cert.tbs_certificate_bytes:
                self.cert = old
        self.der = self.cert.public_bytes(serialization.Encoding.DER)
        self.pem_cert = self.cert.public_bytes(serialization.Encoding.PEM).decode()

    def write(self):
        d = os.path.join(ROOT, "keys")
        with open(os.path.join(d, f"{self.name}.key.pem"), "wb") as f:
            f.write(self.priv.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ))
        with open(os.path.join(d, f"{self.name}.cert.pem"), "w") as f:
            f.write(self.pem_cert)

    def jwk(self, kid, alg="RS256", x5c=True, **extra):
        if self.kind == "ec":
            nums = self.pub.public_numbers()
            j = {"kty": "EC", "crv": "P-256", "kid": kid, "alg": alg, "use": "sig",
                 "x": b64u(nums.x.to_bytes(32, "big")), "y": b64u(nums.y.to_bytes(32, "big"))}
        else:
            nums = self.pub.public_numbers()
            j = {"kty": "RSA", "kid": kid, "alg": alg, "use": "sig",
                 "n": b64u(uint(nums.n)), "e": b64u(uint(nums.e))}
        if x5c:
            j["x5c"] = [b64std(self.der)]
        j.update(extra)
        return j

    def sign(self, alg, data: bytes) -> bytes:
        hname = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}[alg[2:]]
        if alg.startswith("RS"):
            return self.priv.sign(data, padding.PKCS1v15(), hname)
        if alg.startswith("PS"):
            return self.priv.sign(data, padding.PSS(mgf=padding.MGF1(hname), salt_length=hname.digest_size), hname)
        raise ValueError(alg)


def pubkey_der_openssl(pem: bytes, what: str) -> bytes:
    """The SubjectPublicKeyInfo openssl reads from a certificate or private key."""
    args = ["x509", "-pubkey", "-noout"] if what == "cert" else ["pkey", "-pubout"]
    out = subprocess.run(["openssl", *args], input=pem, capture_output=True, check=True).stdout
    return subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=out,
                          capture_output=True, check=True).stdout


def openssl_self_check(k: Key):
    """openssl, independently: the certificate carries the key, and its dates."""
    cert_pem = k.pem_cert.encode()
    key_pem = k.priv.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption())
    assert pubkey_der_openssl(cert_pem, "cert") == pubkey_der_openssl(key_pem, "key"), k.name
    end = subprocess.run(["openssl", "x509", "-noout", "-enddate", "-dateopt", "iso_8601"],
                         input=cert_pem, capture_output=True, check=True).stdout.decode()
    want = dt(int(k.cert.not_valid_after_utc.timestamp())).strftime("%Y-%m-%d %H:%M:%S")
    assert want in end, (k.name, end, want)


# ---------------------------------------------------------------- tokens

def compact(header, payload, signer=None, alg=None, raw_header=None, raw_payload=None):
    hb = raw_header if raw_header is not None else json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    pb = raw_payload if raw_payload is not None else json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    signing_input = f"{b64u(hb)}.{b64u(pb)}"
    alg = alg or (header or {}).get("alg")
    if signer is None:
        sig = b""
    elif isinstance(signer, bytes):
        sig = hmac.new(signer, signing_input.encode(), hashlib.sha256).digest()
    else:
        sig = signer.sign(alg, signing_input.encode())
    return signing_input, sig


def claims(**over):
    c = {"iss": ISS, "sub": "user-1", "iat": NOW - 60, "exp": NOW + 600}
    for k, v in over.items():
        if v is None:
            c.pop(k, None)
        else:
            c[k] = v
    return c


def header(kid="main", alg="RS256", **over):
    h = {"alg": alg, "typ": "JWT"}
    if kid is not None:
        h["kid"] = kid
    for k, v in over.items():
        if v is None:
            h.pop(k, None)
        else:
            h[k] = v
    return h


def tok(h, c, signer, **kw):
    si, sig = compact(h, c, signer, **kw)
    return f"{si}.{b64u(sig)}"


# ---------------------------------------------------------------- expectations

def ok(check_exit=(0,)):
    return {"verdict": "valid", "exit": 0, "rule": None, "check_exit": list(check_exit)}


def bad(rule, check_exit=(1,)):
    return {"verdict": "invalid", "exit": 1, "rule": rule, "check_exit": list(check_exit)}


def unreadable():
    return {"verdict": "unreadable", "exit": 2, "rule": None, "check_exit": [2]}


def main():
    if FRESH and os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    # The committed tokens: one whose signing input is unchanged keeps its
    # signature (a PSS signature differs on every run).
    old_tokens = {}
    tdir = os.path.join(ROOT, "tokens")
    if os.path.isdir(tdir) and not FRESH:
        for n in os.listdir(tdir):
            with open(os.path.join(tdir, n), newline="") as f:
                old_tokens[f"tokens/{n}"] = f.read()
    for d in ("sets", "tokens"):
        shutil.rmtree(os.path.join(ROOT, d), ignore_errors=True)
    for d in ("keys", "sets", "tokens"):
        os.makedirs(os.path.join(ROOT, d), exist_ok=True)

    K = {}

    def key(name, **kw):
        K[name] = Key(name, **kw)
        return K[name]

    main_k = key("main")
    k512 = key("rs512-3072", bits=3072)
    e3 = key("e3", e=3)
    weak = key("weak-1024", bits=1024)
    ps = key("ps256")
    r384 = key("rs384")
    soon = key("cert-5-days", not_before=NOW - 360 * DAY, not_after=NOW + 5 * DAY)
    expired = key("cert-expired", not_before=NOW - 400 * DAY, not_after=NOW - DAY)
    other = key("other")
    padded = key("padded-n")
    plus = key("plus-slash-n")
    x5c_other = key("x5c-other")
    private = key("private-d")
    pem = key("pem-x5c")
    eck = key("ec-p256", kind="ec")
    dup_a = key("dup-a")
    dup_b = key("dup-b")
    twin_a = key("twin-a")
    twin_b = key("twin-b")
    enc = key("use-enc")
    nox5c = key("no-x5c")
    attacker = key("attacker")

    # `n` in the standard alphabet must differ from the url-safe one.
    while "-" not in b64u(uint(plus.pub.public_numbers().n)) and "_" not in b64u(uint(plus.pub.public_numbers().n)):
        plus = key("plus-slash-n")
    for k in K.values():
        k.write()
        openssl_self_check(k)

    # ------------------------------------------------------------ key sets
    sets = {}

    def keyset(name, body, desc):
        path = f"sets/{name}"
        with open(os.path.join(ROOT, path), "w") as f:
            if isinstance(body, str):
                f.write(body)
            else:
                json.dump(body, f, indent=2, ensure_ascii=False)
                f.write("\n")
        sets[name] = {"file": path, "description": desc}
        return path

    j_main = main_k.jwk("main")
    j_512 = k512.jwk("rs512-3072", alg="RS512")
    keyset("main.jwks.json", {"keys": [j_main, j_512]},
           "the good set: main (RSA-2048, RS256) and rs512-3072 (RSA-3072, RS512), certificates valid a year")
    keyset("main.jwk.json", j_main, "the main key alone, as a single JWK (not a set)")
    keyset("algs.jwks.json", {"keys": [j_main, ps.jwk("ps256", alg="PS256"), r384.jwk("rs384", alg="RS384"), j_512]},
           "main plus keys whose JWK alg is PS256 and RS384 (K2 lint errors under the platform profile)")
    keyset("e3.jwks.json", {"keys": [e3.jwk("e3")]}, "an RSA-2048 key with public exponent 3 (K14 warning)")
    keyset("cert-5-days.jwks.json", {"keys": [soon.jwk("cert-5-days")]},
           "a key whose certificate has 5 days left at NOW (K7: upload error, verdict warning)")
    keyset("cert-expired.jwks.json", {"keys": [expired.jwk("cert-expired")]},
           "a key whose certificate expired a day before NOW (K7 error)")
    keyset("key-1024.jwks.json", {"keys": [weak.jwk("weak-1024")]}, "an RSA-1024 key (K3)")
    jp = padded.jwk("padded-n")
    jp["n"] = b64std(uint(padded.pub.public_numbers().n)).replace("+", "-").replace("/", "_")
    assert jp["n"].endswith("="), jp["n"][-4:]
    keyset("padded-n.jwks.json", {"keys": [jp]}, "n carries base64 padding `=` (K4)")
    jps = plus.jwk("plus-slash-n")
    jps["n"] = b64std(uint(plus.pub.public_numbers().n)).rstrip("=")
    assert "+" in jps["n"] or "/" in jps["n"]
    keyset("plus-slash-n.jwks.json", {"keys": [jps]}, "n in the standard alphabet, with `+` or `/` (K4)")
    jx = x5c_other.jwk("x5c-other")
    jx["x5c"] = [b64std(other.der)]
    keyset("x5c-other.jwks.json", {"keys": [jx]}, "x5c[0] is the certificate of another key (K6)")
    pn = private.priv.private_numbers()
    jd = private.jwk("private-d", d=b64u(uint(pn.d)), p=b64u(uint(pn.p)), q=b64u(uint(pn.q)),
                     dp=b64u(uint(pn.dmp1)), dq=b64u(uint(pn.dmq1)), qi=b64u(uint(pn.iqmp)))
    keyset("private-d.jwks.json", {"keys": [jd]}, "the key with its private members d, p, q, dp, dq, qi (real values; K10)")
    jpem = pem.jwk("pem-x5c")
    jpem["x5c"] = [pem.pem_cert]
    keyset("pem-x5c.jwks.json", {"keys": [jpem]}, "x5c[0] holds the PEM text, armour and newlines included (K5)")
    keyset("other-1024.jwks.json", {"keys": [j_main, weak.jwk("weak-1024")]},
           "main beside another key of 1024 bits")
    jmis = other.jwk("other-mismatch")
    jmis["x5c"] = [b64std(dup_a.der)]
    keyset("other-x5c-mismatch.jwks.json", {"keys": [j_main, jmis]},
           "main beside another key whose x5c is the certificate of a third key")
    keyset("other-dup-kid.jwks.json", {"keys": [j_main, dup_a.jwk("dup"), dup_b.jwk("dup")]},
           "main beside two other keys that share the kid \"dup\"")
    keyset("token-dup-kid.jwks.json", {"keys": [twin_a.jwk("twin"), twin_b.jwk("twin")]},
           "two different keys with the kid \"twin\"; the token is signed by the first")
    keyset("array.json", [j_main, j_512], "a JSON array of the two good JWKs instead of a {\"keys\":[…]} set")
    keyset("ec-only.jwks.json", {"keys": [eck.jwk("ec-1", alg="ES256")]},
           "one EC P-256 key (kid ec-1, alg ES256, x5c of its own EC certificate): no RSA key")
    keyset("empty.jwks.json", {"keys": []}, "a set with no keys")
    keyset("not-json.txt", "this is not a key set {\n", "not JSON: cannot be read")
    keyset("use-enc.jwks.json", {"keys": [enc.jwk("use-enc", use="enc")]}, "a key with use \"enc\" (K11)")
    keyset("no-x5c.jwks.json", {"keys": [nox5c.jwk("no-x5c", x5c=False)]}, "a key without x5c (K13)")

    # ------------------------------------------------------------ cases
    cases = []

    def case(cid, token, keyset_name, platform, rfc, desc, notes=None, args=()):
        path = f"tokens/{cid}.jwt"
        prev = old_tokens.get(path)
        if prev is not None and prev.count(".") == token.count(".") == 2 \
                and prev.rsplit(".", 1)[0] == token.rsplit(".", 1)[0]:
            token = prev
        with open(os.path.join(ROOT, path), "w", newline="") as f:
            f.write(token)
        c = {"id": cid, "description": desc, "token": path, "keyset": sets[keyset_name]["file"],
             "args": list(args), "expect": {"platform": platform, "rfc": rfc}}
        if notes:
            c["notes"] = notes
        cases.append(c)

    M = "main.jwks.json"
    valid = tok(header(), claims(), main_k)

    # -- good tokens and how they arrive
    case("valid-rs256", valid, M, ok(), ok(), "a correct RS256 token")
    case("valid-rs512", tok(header("rs512-3072", "RS512"), claims(), k512), M, ok(), ok(),
         "a correct RS512 token (RSA-3072 key)")
    SINGLE = ("the key file (or the body at --jwks-url) is one JWK, not a {\"keys\":[…]} set: it can be read and "
              "holds the token's key, so the verdict is the token's, as for a set; that an endpoint must answer a "
              "JWKS (E2) is a lint for `check`, not a reason for exit 2 (issue 20: exit 2 only for input that "
              "cannot be read at all)")
    case("valid-single-jwk", valid, "main.jwk.json", ok(), ok(), "a correct token; the keys are one JWK, not a set",
         SINGLE)
    case("header-whitespace",
         tok(None, claims(), main_k, alg="RS256", raw_header=b'{ "alg": "RS256", "kid": "main", "typ": "JWT" }'),
         M, ok(), ok(), "header JSON with whitespace: `{ \"alg\": \"RS256\", ... }`",
         "JSON allows whitespace between tokens (RFC 8259); T0's 'canonical' is about base64url, not JSON")
    half = len(valid) // 2
    case("tab-inside", valid[:half] + "\t" + valid[half:], M, bad("T0"), bad("T0"),
         "a correct token with a tab inserted in the middle of the payload segment",
         "readable text that is not a compact JWS: invalid T0, exit 1, however it arrives "
         "(exit 2 is only for input that cannot be read at all); only surrounding whitespace is ignored")
    case("newline-inside", valid[:half] + "\n" + valid[half:], M, bad("T0"), bad("T0"),
         "a correct token with a newline inserted in the middle of the payload segment",
         "from a file or stdin a newline splits it into two lines (one token a line): two T0 verdicts; "
         "as one argument it is one malformed token (T0). Either way invalid T0, exit 1")
    blob_len = 50_500
    big = tok(header(), claims(blob="x" * blob_len), main_k)
    assert 65_536 < len(big) < 131_072, len(big)
    case("big-67kb", big, M, bad("T0"), bad("T0"), f"a correct token of {len(big)} bytes (a big claim)",
         "over the one token size limit, 64 KiB (token::MAX_TOKEN_LEN, chosen for issue 20 part 2: one limit "
         "everywhere, arguments, files, stdin, batch lines and the ui API included): T0, exit 1, named")
    case("bearer-prefix", "Bearer " + valid, M, ok(), ok(), "a correct token with a `Bearer ` prefix",
         "README: a pasted `Bearer ` prefix is ignored")
    case("crlf-around", "  " + valid + "\r\n", M, ok(), ok(), "a correct token with spaces before and CRLF after",
         "surrounding whitespace is ignored (README)")

    # -- times
    case("exp-eq-now", tok(header(), claims(exp=NOW, iat=NOW - 600), main_k), M, ok(), ok(),
         "exp == NOW (default leeway 60 s)", "within the one leeway")
    case("exp-eq-now-leeway0", tok(header(), claims(exp=NOW, iat=NOW - 600), main_k), M, bad("T5"), bad("T5"),
         "exp == NOW with --leeway 0s", "RFC 7519 §4.1.4: now MUST be before exp; at exp it is expired",
         args=["--leeway", "0s"])
    case("expired", tok(header(), claims(exp=NOW - 120, iat=NOW - 720), main_k), M, bad("T5"), bad("T5"),
         "exp two minutes before NOW")
    case("exp-ms", tok(header(), claims(exp=(NOW + 600) * 1000), main_k), M, bad("T14"), bad("T14"),
         "exp in milliseconds")
    case("exp-string", tok(header(), claims(exp=str(NOW + 600)), main_k), M, bad("T5"), bad("T5"),
         "exp as a string of digits",
         "PLATFORM.md T5: exp present, 'a number of seconds'; the web client refuses an exp that is 'missing or "
         "a string' (T5's own text). T14 is about milliseconds and the 1970–9999 range, which a string is not, "
         "so the first failing rule is T5 (README's T14 wording 'are seconds' reads wider; PLATFORM.md decides)")
    case("no-exp", tok(header(), claims(exp=None), main_k), M, bad("T5"), bad("T5"),
         "no exp (rfc without --allow-no-exp also refuses it)")
    case("iat-future", tok(header(), claims(iat=NOW + 600, exp=NOW + 1200), main_k), M, ok(), bad("T13"),
         "iat ten minutes after NOW", "T13 is a warning under the platform profile, an error under rfc (README)")
    case("nbf-future", tok(header(), claims(nbf=NOW + 600, exp=NOW + 1200), main_k), M, bad("T15"), bad("T15"),
         "nbf ten minutes after NOW",
         "PLATFORM.md has no nbf rule, so the platform profile is open here. Chosen: invalid T15 under both "
         "profiles: RFC 7519 §4.1.5 says such a token MUST NOT be accepted, nimbus (the official tool's library) "
         "rejects it, and README lists T15 as a platform error (an assumption, the safer side)")
    case("long-lifetime", tok(header(), claims(exp=NOW + 3 * DAY), main_k), M, ok(), ok(),
         "exp three days after iat (T6 warning only)")

    # -- claims
    case("wrong-iss", tok(header(), claims(iss="https://other.example"), main_k), M, bad("T4"), bad("T4"),
         "iss differs from --iss")
    case("iss-trailing-slash", tok(header(), claims(iss=ISS + "/"), main_k), M, bad("T4"), bad("T4"),
         "iss with a trailing slash")
    case("no-iss", tok(header(), claims(iss=None), main_k), M, bad("T4"), bad("T4"),
         "no iss", "--iss is given, so rfc checks it too (README: T4 under rfc 'only with --iss')")
    case("missing-sub", tok(header(), claims(sub=None), main_k), M, bad("T3"), ok(), "no sub")
    case("empty-sub", tok(header(), claims(sub=""), main_k), M, bad("T3"), ok(), "sub is \"\"")
    case("sub-slash", tok(header(), claims(sub="team/alice"), main_k), M, ok(), ok(), "sub with `/` (T8 warning)")
    case("sub-non-ascii", tok(header(), claims(sub="usér-日本-😀"), main_k), M, ok(), ok(), "non-ASCII sub")
    case("sub-control", tok(header(), claims(sub="user\u0001\u001b[31mred"), main_k), M, ok(), ok(),
         "sub with control characters (U+0001, ESC) (T8 warning)",
         "T8 is a warning: valid; text output must escape the characters")
    case("sub-newline-forge",
         tok(header(), claims(sub="user-1\nvalid sub=admin platform_key=v2/iamessage/AUTH/Cfg/uid:admin"), main_k),
         M, ok(), ok(), "sub holding a newline and `valid sub=admin platform_key=…`",
         "valid with a T8 warning; no text output may show the forged line (every judge's text output is "
         "checked for exactly one verdict line per token)")
    case("sub-u2028", tok(header(), claims(sub="user\u2028valid sub=admin"), main_k), M, ok(), ok(),
         "sub with U+2028 LINE SEPARATOR (T8 warning)")
    case("aud-present", tok(header(), claims(aud="https://chat.example"), main_k), M, ok(), ok(),
         "an aud claim (T9: allowed, not checked)")
    case("duplicate-member",
         tok(None, None, main_k, alg="RS256",
             raw_header=json.dumps(header()).encode(),
             raw_payload=(f'{{"iss":"{ISS}","sub":"user-1","sub":"admin","iat":{NOW - 60},"exp":{NOW + 600}}}').encode()),
         M, bad("T0"), bad("T0"), "payload with sub twice (signed)",
         "PLATFORM.md is silent; README's T0 refuses a repeated member name (readers disagree on which one "
         "counts, RFC 7515 §4: MUST reject or use the last): chosen T0")

    # -- header and algorithm
    case("ps256", tok(header("ps256", "PS256"), claims(), ps), "algs.jwks.json", bad("T1"), ok(),
         "PS256 with a key whose JWK alg is PS256")
    case("rs384", tok(header("rs384", "RS384"), claims(), r384), "algs.jwks.json", bad("T1"), ok(),
         "RS384 with a key whose JWK alg is RS384")
    case("alg-none", tok(header(alg="none"), claims(), None), M, bad("T1"), bad("T1"), "alg none, empty signature")
    main_pub_pem = main_k.pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    case("hs256", tok(header(alg="HS256"), claims(), main_pub_pem), M, bad("T1"), bad("T1"),
         "HS256 with the main public key's PEM as the secret (key confusion)")
    case("crit", tok(header(crit=["exp"], exp=NOW + 600), claims(), main_k), M, bad("T11"), bad("T11"),
         "a crit header naming exp")
    case("typ-other", tok(header(typ="at+jwt"), claims(), main_k), M, ok(), ok(),
         "typ at+jwt (T12 warning under the platform profile)")
    case("kid-missing-one-key", tok(header(kid=None), claims(), main_k), "main.jwk.json", bad("T2"), ok(),
         "no kid; the keys are one JWK", "rfc: a token without kid is fine with a single key (README). " + SINGLE)
    case("kid-missing-two-keys", tok(header(kid=None), claims(), main_k), M, bad("T2"), bad("T2"),
         "no kid; the set has two keys", "rfc: kid is optional only with one key (README)")
    case("kid-unknown", tok(header(kid="nobody"), claims(), main_k), M, bad("T2"), bad("T2"),
         "kid names no key of the set")
    case("alg-key-mismatch", tok(header("main", "RS512"), claims(), main_k), M, bad("T10"), bad("T10"),
         "RS512 signed by main, whose JWK alg is RS256")
    case("embedded-jwk",
         tok(header(jwk=attacker.jwk("main", x5c=False)), claims(sub="admin"), attacker), M, bad("T7"), bad("T7"),
         "signed by another key that the header carries as jwk, with kid main",
         "keys never come from the token's header")

    # -- signature and shape
    signing_input = valid.rsplit(".", 1)[0]
    h_b64, p_b64 = signing_input.split(".")
    forged = json.loads(base64.urlsafe_b64decode(p_b64 + "=" * (-len(p_b64) % 4)))
    forged["sub"] = "admin"
    forged_p = b64u(json.dumps(forged, separators=(",", ":")).encode())
    case("tampered", f"{h_b64}.{forged_p}.{valid.rsplit('.', 1)[1]}", M, bad("T7"), bad("T7"),
         "payload changed (sub admin) after signing")
    sig = base64.urlsafe_b64decode(valid.rsplit(".", 1)[1] + "==")
    case("sig-truncated", f"{signing_input}.{b64u(sig[:-3])}", M, bad("T7"), bad("T7"),
         "the signature three bytes short (canonical base64url)")
    case("sig-padded", f"{signing_input}.{b64u(sig)}==", M, bad("T0"), bad("T0"),
         "the signature segment with `==` padding")
    case("non-ascii-garbage", "eyJhbGciOiJSUzI1NiJ9.ü日本.äöü", M, bad("T0"), bad("T0"),
         "non-ASCII text where a token should be",
         "readable text, not a JWS: T0, exit 1, never a panic (issue 20 part 1)")

    # -- the key for the token breaks a key rule
    case("key-e3", tok(header("e3"), claims(), e3), "e3.jwks.json", ok(), ok(),
         "the key's public exponent is 3 (K14 warning)")
    case("cert-5-days", tok(header("cert-5-days"), claims(), soon), "cert-5-days.jwks.json",
         ok(check_exit=(1,)), ok(),
         "the key's certificate has 5 days left",
         "revised K7: the 10-day minimum is an upload rule, a warning when judging a token against a registered "
         "key, so the verdict is valid everywhere; `check` still lints the key for upload: K7 error, exit 1, "
         "with its verdict line valid (issue 20 parts 2 and 3)")
    case("cert-expired", tok(header("cert-expired"), claims(), expired), "cert-expired.jwks.json",
         bad("K7"), ok(), "the key's certificate expired a day ago",
         "K7 (within validity) is an error under the platform profile; key rules are off under rfc (README)")
    RFC_KEYS_OFF = ("under rfc the K rules are off (README's table, `—`): the key is read leniently and "
                    "verifies, so the verdict is valid")
    RFC_UNUSABLE = ("under rfc the K rules are off, but the JWK itself breaks a MUST of RFC 7517/7515 (n is "
                    "base64url without padding; x5c[0] is base64 DER holding the same key as n/e): uvtool's lead "
                    "chose the safer side, such a key cannot be used, so the signature is never checked: T7 "
                    "\"signature not verified: ... cannot be used: why\" (docs/PLATFORM.md, one verdict)")
    case("token-key-1024", tok(header("weak-1024"), claims(), weak), "key-1024.jwks.json", bad("K3"), bad("K3"),
         "signed by an RSA-1024 key, the one its kid names",
         "K3, not T7: the signature verifies, the key is too small. Under rfc too: RFC 7518 §3.3/§3.5 say a key "
         "of 2048 bits or larger MUST be used with RS*/PS*, so K3 is an RFC rule as well (the one key rule kept "
         "under rfc; README's table shows `—` for key rules under rfc)")
    case("token-key-padded-n", tok(header("padded-n"), claims(), padded), "padded-n.jwks.json", bad("K4"), bad("T7"),
         "signed by the key its kid names, whose n has `=` padding", RFC_UNUSABLE)
    case("token-key-plus-slash-n", tok(header("plus-slash-n"), claims(), plus), "plus-slash-n.jwks.json",
         bad("K4"), bad("T7"), "signed by the key its kid names, whose n uses `+`/`/`", RFC_UNUSABLE)
    case("token-key-x5c-other", tok(header("x5c-other"), claims(), x5c_other), "x5c-other.jwks.json",
         bad("K6"), bad("T7"), "signed by the key its kid names, whose x5c is another key's certificate", RFC_UNUSABLE)
    case("token-key-private-d", tok(header("private-d"), claims(), private), "private-d.jwks.json",
         bad("K10"), ok(), "signed by the key its kid names, which carries real private members", RFC_KEYS_OFF)
    case("token-key-pem-x5c", tok(header("pem-x5c"), claims(), pem), "pem-x5c.jwks.json", bad("K5"), bad("T7"),
         "signed by the key its kid names, whose x5c holds PEM armour", RFC_UNUSABLE)
    case("token-key-use-enc", tok(header("use-enc"), claims(), enc), "use-enc.jwks.json", bad("K11"), bad("T2"),
         "signed by the key its kid names, whose use is enc",
         "platform: K11. rfc: a key with another use is skipped by every verifier (PLATFORM.md K11), so no key "
         "the token names can be used: T2")
    case("token-key-no-x5c", tok(header("no-x5c"), claims(), nox5c), "no-x5c.jwks.json", bad("K13"), ok(),
         "signed by the key its kid names, which has no x5c",
         "platform: K13 stays an error for the verdict: besides TS (required for upload), the field report in "
         "PLATFORM.md says verification then stayed anonymous, i.e. a source that tokens fail. " + RFC_KEYS_OFF)
    case("token-dup-kid", tok(header("twin"), claims(), twin_a), "token-dup-kid.jwks.json", bad("K12"), ok(),
         "signed by one of two different keys that share the kid the token names",
         "platform: the key for the token breaks K12 (kid unique within a set, an error), so invalid K12. rfc: "
         "key rules are off; the keys the kid names are tried and one verifies (as nimbus does): valid")

    # -- a bad other key beside the good key for the token
    OTHER = ("RFC 7517 §5 / PLATFORM.md E2: another key that cannot be used does not change the verdict "
             "(a warning names it); `check` lints the set (error, exit 1) and its verdict line agrees with verify")
    case("other-key-1024", valid, "other-1024.jwks.json", ok(check_exit=(1,)), ok(check_exit=(1,)),
         "a correct token; the set also holds an RSA-1024 key",
         OTHER + "; K3 is an error under rfc too (see token-key-1024), so check exits 1 under both profiles")
    case("other-key-x5c-mismatch", valid, "other-x5c-mismatch.jwks.json", ok(check_exit=(1,)), ok(),
         "a correct token; another key's x5c is a third key's certificate", OTHER)
    case("other-dup-kid", valid, "other-dup-kid.jwks.json", ok(check_exit=(1,)), ok(),
         "a correct token; two other keys share a kid", OTHER + "; K12 is off under rfc")
    case("json-array", valid, "array.json", ok(check_exit=(0, 1)), ok(check_exit=(0, 1)),
         "a correct token; the key file is a JSON array of JWKs, not a set",
         "the file can be read and holds the token's key, so it is not exit 2; the array shape is a lint "
         "(K9 is for upload files; issue 20 lists it among the 'other key' cases where check says valid): "
         "valid. check's exit code is left open (0 or 1) since no rule makes the shape an error without --upload")

    # -- no key can be used, and a tampered token against such a set
    ec_tampered = tok(header("ec-1"), claims(), main_k)
    hh, pp, ss = ec_tampered.split(".")
    case("tampered-ec-only", f"{hh}.{forged_p}.{ss}", "ec-only.jwks.json", bad("K2"), bad("T10"),
         "a tampered RS256 token whose kid names the EC key of an EC-only set",
         "the set is readable, so not exit 2; the key for the token breaks K2 (kty RSA) under the platform "
         "profile; under rfc key rules are off and the key's alg ES256 is not the token's RS256: T10. Never valid: "
         "no key verified the signature")
    case("tampered-ec-only-rsa-kid", f"{h_b64}.{forged_p}.{valid.rsplit('.', 1)[1]}", "ec-only.jwks.json",
         bad("T2"), bad("T2"), "a tampered token (kid main) against an EC-only set",
         "no key of the set has the token's kid: T2")
    pt = tok(header("padded-n"), claims(), padded)
    ph, _, ps_ = pt.split(".")
    case("tampered-padded-n", f"{ph}.{forged_p}.{ps_}", "padded-n.jwks.json", bad("K4"), bad("T7"),
         "a tampered token whose kid names a key with a padded n",
         "platform: K4 (K… runs before T7); rfc: key rules off, the key is read and the signature fails: T7")
    case("empty-set", valid, "empty.jwks.json", bad("T2"), bad("T2"), "a correct token against {\"keys\":[]}",
         "a readable set with no key: the token's kid names no key (T2), exit 1, not 2")
    case("keyset-not-json", valid, "not-json.txt", unreadable(), unreadable(),
         "a correct token; the key file is not JSON", "the only input here that cannot be read at all: exit 2")

    expected = {
        "format": "uvtool-corpus/1",
        "generator": "scripts/make-corpus.py (Python cryptography and openssl; never uvtool)",
        "warning": "Every private key here is random, committed and test-only: never upload these keys or trust these tokens.",
        "now": NOW,
        "now_utc": dt(NOW).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "iss": ISS,
        "common_args": ["--now", str(NOW), "--iss", ISS],
        "profile_args": {"platform": [], "rfc": ["--profile", "rfc"]},
        "order": ORDER,
        "expect_fields": {
            "verdict": "valid | invalid | unreadable",
            "exit": "the exit code of verify (0 valid, 1 invalid, 2 unreadable)",
            "rule": "the first failing error-level rule in `order` (null when valid or unreadable)",
            "check_exit": "the exit codes `check TOKEN KEYSET` may give (a lint: 1 for any error finding, "
                          "the key rules for upload included); its verdict line must still equal verify's",
        },
        "notes": [
            "Derived from ../shared/PLATFORM.md and issue 20 part 2, not from uvtool's output.",
            "Every case is run with common_args (--now, --iss) plus its own args, under each profile.",
            "Exit 2 only for input that cannot be read at all (keyset-not-json); a readable set whose key for the "
            "token breaks an error-level key rule gives invalid with that rule, exit 1.",
            "Key rules (K*) are off under --profile rfc (README's table), except K3: RFC 7518 §3.3/§3.5 make 2048 "
            "bits a MUST of RS*/PS* themselves. A JWK that breaks a MUST of RFC 7517/7515 itself (padded or +/ n, "
            "an x5c that is not base64 DER or holds another key) cannot be used under rfc either: T7.",
            "Upload rules and the verdict (issue 20 part 3): K7's 10-day minimum is time-dependent, so a key "
            "registered earlier reaches it while registered: a warning for a token's verdict, an error in check. "
            "The static key rules (K1-K6, K8, K10-K13) describe a key that could never have been registered (or, at "
            "a JWKS URL, one the platform's reader cannot use), so a token whose key breaks one is invalid with "
            "that rule, as issue 20 part 2 lists (K3/K4/K5/K6/K10).",
            "Rule ids T0 (malformed) and T15 (nbf) are README's; PLATFORM.md has no id for them.",
            "The first failing rule follows the documented order (README 'One judge'); within K… the lowest "
            "number first. Each bad key breaks exactly one error-level key rule, so the order inside K… does not "
            "matter here.",
            "A token text holding a newline is two lines (two tokens) from a file, stdin or a batch: the case's "
            "verdict is then the first invalid line's.",
        ],
        "keys": {k.name: {"private": f"keys/{k.name}.key.pem", "certificate": f"keys/{k.name}.cert.pem",
                          "type": "EC P-256" if k.kind == "ec" else f"RSA-{k.pub.key_size} e={k.pub.public_numbers().e}",
                          "not_after": int(k.cert.not_valid_after_utc.timestamp())}
                 for k in K.values()},
        "sets": sets,
        "cases": cases,
    }
    with open(os.path.join(ROOT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(ROOT, "README.md"), "w") as f:
        f.write(README)
    print(f"{len(cases)} cases, {len(sets)} key sets, {len(K)} keys in {ROOT}")


README = """# Independent corpus (not made by uvtool)

Made by `scripts/make-corpus.py` with Python's `cryptography` and `openssl`: random RSA keys
(2048, 3072, 1024, e=3), an EC key, self-signed certificates (valid a year, 5 days left,
expired), JWK and JWKS files under `sets/`, and tokens under `tokens/`. Every time is relative
to one fixed clock (`now` in `expected.json`; uvtool gets `--now`).

`expected.json` holds, for each case, its token file, key set and extra arguments, and for each
profile (`platform`, `rfc`) the expected verdict, verify's exit code, the first failing rule and
the exit codes `check` may give. The expectations come from the rules (PLATFORM.md, issue 20),
not from uvtool's output; where the rules leave the answer open, the case's `notes` say what was
chosen and why.

`tests/integration/known_answers/corpus.rs` runs every case through every judge of uvtool under both
profiles (verify with the token as an argument, from a file, from stdin, `--json`, batch,
`check`, the `ui` API, `--jwks-url`) and asserts one verdict and one rule per input. It reads
only these files: no Python at test time.

The private keys are test-only: never upload them. Regenerate (new random keys, the same
cases) with `scripts/setup-python.sh && .venv/bin/python scripts/make-corpus.py --fresh`;
without `--fresh` the committed keys are reused.
"""

if __name__ == "__main__":
    sys.exit(main())
