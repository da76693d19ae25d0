//! Interop of keys, certificates, JWK and JWKS with independent
//! implementations: Python `cryptography` (OpenSSL-backed X.509/PKCS),
//! `jwcrypto` and PyJWT. Skipped when the venv is missing, unless
//! UVTOOL_REQUIRE_INTEROP=1 (scripts/test.sh sets it).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::common::{python, run_python, uvtool};
use serde_json::Value;

/// One `uvtool keygen` shared by the tests of this file.
fn keygen_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("interop-keys-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        fs::create_dir_all(&base).unwrap();
        let dir = base.join("keys");
        uvtool()
            .args(["keygen", "--out-dir", dir.to_str().unwrap()])
            .args(["--subject", "CN=Interop test,O=uvtool,C=US", "--days", "90"])
            .assert()
            .success();
        dir
    })
}

fn path_str(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Run a Python snippet; it must succeed. Returns its stdout.
fn py(py: &Path, code: &str, args: &[&str]) -> String {
    let (ok, out, err) = run_python(py, code, args);
    assert!(ok, "python failed:\n{err}\n{out}");
    out
}

#[test]
fn cryptography_loads_keygen_output_and_numbers_match() {
    let Some(p) = python() else { return };
    let d = keygen_dir();
    let code = r#"
import sys, json, base64, datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import serialization, hashes
from cryptography.hazmat.primitives.asymmetric import rsa, padding
d = sys.argv[1]
priv = serialization.load_pem_private_key(open(d + "/private.pem", "rb").read(), password=None)
pub = serialization.load_pem_public_key(open(d + "/public.pem", "rb").read())
cert = x509.load_pem_x509_certificate(open(d + "/cert.pem", "rb").read())
assert isinstance(priv, rsa.RSAPrivateKey)
assert priv.key_size == 2048
pn = priv.private_numbers().public_numbers
assert pn == pub.public_numbers(), "public.pem is the private key's public half"
assert pn == cert.public_key().public_numbers(), "the certificate holds the key"
assert pn.e == 65537
# PKCS#8 and SPKI encodings, byte for byte as cryptography writes them.
assert open(d + "/private.pem", "rb").read() == priv.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
assert open(d + "/public.pem", "rb").read() == pub.public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
# The certificate: v3, sha256WithRSAEncryption, self-signed, 90 days, signing extensions.
assert cert.version == x509.Version.v3
assert cert.signature_hash_algorithm.name == "sha256"
assert cert.signature_algorithm_oid.dotted_string == "1.2.840.113549.1.1.11"
cert.verify_directly_issued_by(cert)
assert cert.subject == cert.issuer
assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Interop test"
assert cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "US"
days = (cert.not_valid_after_utc - cert.not_valid_before_utc).days
assert days == 90, days
bc = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
assert bc.ca is False
ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
assert ku.digital_signature
assert cert.serial_number > 2**64
# The JWK's n/e are the key's numbers.
jwk = json.load(open(d + "/jwk.json"))
def b64int(s):
    return int.from_bytes(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)), "big")
assert b64int(jwk["n"]) == pn.n and b64int(jwk["e"]) == pn.e
assert base64.b64decode(jwk["x5c"][0]) == cert.public_bytes(serialization.Encoding.DER)
# The private key signs what the certificate's key verifies.
sig = priv.sign(b"hello", padding.PKCS1v15(), hashes.SHA256())
cert.public_key().verify(sig, b"hello", padding.PKCS1v15(), hashes.SHA256())
print("ok")
"#;
    assert_eq!(py(&p, code, &[&path_str(d)]).trim(), "ok");
}

#[test]
fn jwcrypto_loads_jwk_and_jwks_and_agrees_on_the_thumbprint() {
    let Some(p) = python() else { return };
    let d = keygen_dir();
    let code = r#"
import sys, json
from jwcrypto import jwk
d = sys.argv[1]
text = open(d + "/jwk.json").read()
k = jwk.JWK.from_json(text)
obj = json.loads(text)
assert k.thumbprint() == obj["kid"], (k.thumbprint(), obj["kid"])
assert not k.has_private
assert k["kty"] == "RSA" and k["use"] == "sig" and k["alg"] == "RS256"
# The JWK is public.pem, byte for byte.
assert k.export_to_pem() == open(d + "/public.pem", "rb").read()
s = jwk.JWKSet.from_json(open(d + "/jwks.json").read())
got = s.get_key(obj["kid"])
assert got is not None and got.thumbprint() == obj["kid"]
assert len(s["keys"]) == 1
print("ok")
"#;
    assert_eq!(py(&p, code, &[&path_str(d)]).trim(), "ok");
}

#[test]
fn pyjwt_loads_our_jwk_and_verifies_a_token_signed_with_private_pem() {
    let Some(p) = python() else { return };
    let d = keygen_dir();
    let code = r#"
import sys, json, jwt
d = sys.argv[1]
obj = json.load(open(d + "/jwk.json"))
k = jwt.PyJWK(obj)
assert k.key_id == obj["kid"], k.key_id
assert k.algorithm_name == "RS256"
s = jwt.PyJWKSet.from_json(open(d + "/jwks.json").read())
assert [x.key_id for x in s.keys] == [obj["kid"]]
tok = jwt.encode({"sub": "interop"}, open(d + "/private.pem", "rb").read(),
                 algorithm="RS256", headers={"kid": obj["kid"]})
claims = jwt.decode(tok, key=s[obj["kid"]].key, algorithms=["RS256"])
assert claims["sub"] == "interop"
print("ok")
"#;
    assert_eq!(py(&p, code, &[&path_str(d)]).trim(), "ok");
}

#[test]
fn private_jwk_matches_cryptography_numbers() {
    let Some(p) = python() else { return };
    let d = keygen_dir();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("private-jwk.json");
    uvtool()
        .args([
            "jwk",
            "--key",
            &path_str(&d.join("private.pem")),
            "--private",
        ])
        .args([
            "--cert",
            &path_str(&d.join("cert.pem")),
            "-o",
            &path_str(&out),
        ])
        .assert()
        .success();
    let code = r#"
import sys, json
from jwcrypto import jwk
from cryptography.hazmat.primitives import serialization
priv = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), password=None)
k = jwk.JWK.from_json(open(sys.argv[2]).read())
assert k.has_private
want = priv.private_numbers()
got = k.get_op_key("sign").private_numbers()
for name in ("d", "p", "q", "dmp1", "dmq1", "iqmp"):
    assert getattr(got, name) == getattr(want, name), name
assert got.public_numbers == want.public_numbers
print("ok")
"#;
    assert_eq!(
        py(
            &p,
            code,
            &[&path_str(&d.join("private.pem")), &path_str(&out)]
        )
        .trim(),
        "ok"
    );
}

/// Keys written by `cryptography` in every format uvtool reads; returns the
/// folder and the key's (n, e) as decimal strings.
fn python_keys(p: &Path, dir: &Path) -> (String, String) {
    let code = r#"
import sys, datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import serialization, hashes
from cryptography.hazmat.primitives.asymmetric import rsa
d = sys.argv[1]
k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
E, P, N = serialization.Encoding, serialization.PrivateFormat, serialization.NoEncryption()
PF = serialization.PublicFormat
files = {
    "pkcs1.pem": k.private_bytes(E.PEM, P.TraditionalOpenSSL, N),
    "pkcs8.pem": k.private_bytes(E.PEM, P.PKCS8, N),
    "pkcs1.der": k.private_bytes(E.DER, P.TraditionalOpenSSL, N),
    "pkcs8.der": k.private_bytes(E.DER, P.PKCS8, N),
    "spki.pem": k.public_key().public_bytes(E.PEM, PF.SubjectPublicKeyInfo),
    "spki.der": k.public_key().public_bytes(E.DER, PF.SubjectPublicKeyInfo),
    "pkcs1-public.pem": k.public_key().public_bytes(E.PEM, PF.PKCS1),
}
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cryptography cert")])
now = datetime.datetime.now(datetime.timezone.utc)
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(k.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=30))
        .sign(k, hashes.SHA256()))
files["cert.pem"] = cert.public_bytes(E.PEM)
files["cert.der"] = cert.public_bytes(E.DER)
for f, b in files.items():
    open(d + "/" + f, "wb").write(b)
n = k.public_key().public_numbers()
print(n.n, n.e)
"#;
    let out = py(p, code, &[&path_str(dir)]);
    let mut it = out.split_whitespace();
    (it.next().unwrap().into(), it.next().unwrap().into())
}

#[test]
fn uvtool_accepts_keys_and_certificates_made_by_cryptography() {
    let Some(p) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (n, e) = python_keys(&p, dir);
    // cert --key for each private key format: cryptography reads the
    // certificate back and finds its own key in it (one Python run reads
    // them all, a line each).
    let check_cert = r#"
import sys
from cryptography import x509
for f in sys.argv[1:]:
    c = x509.load_pem_x509_certificate(open(f, "rb").read())
    c.verify_directly_issued_by(c)
    n = c.public_key().public_numbers()
    print(n.n, n.e)
"#;
    let formats = ["pkcs1.pem", "pkcs8.pem", "pkcs1.der", "pkcs8.der"];
    let mut certs = Vec::new();
    for f in formats {
        let out = dir.join(format!("{f}.crt"));
        uvtool()
            .args([
                "cert",
                "--key",
                &path_str(&dir.join(f)),
                "--out",
                &path_str(&out),
            ])
            .assert()
            .success();
        certs.push(path_str(&out));
    }
    let certs: Vec<&str> = certs.iter().map(String::as_str).collect();
    let read = py(&p, check_cert, &certs);
    assert_eq!(read.lines().count(), formats.len(), "{read}");
    for (f, line) in formats.iter().zip(read.lines()) {
        assert_eq!(line, format!("{n} {e}"), "{f}");
    }
    // jwk --key for every key format, and --cert for the certificate made by
    // cryptography: the same n/e, and the kid jwcrypto computes (one Python
    // run reads a JSON list of them, a line each).
    let check_jwk = r#"
import sys, json
from jwcrypto import jwk
for obj in json.loads(sys.stdin.read()):
    k = jwk.JWK(**obj)
    pn = k.get_op_key("verify").public_numbers()
    assert obj["kid"] == k.thumbprint()
    print(pn.n, pn.e)
"#;
    let files = [
        "pkcs1.pem",
        "pkcs8.pem",
        "pkcs1.der",
        "pkcs8.der",
        "spki.pem",
        "spki.der",
        "pkcs1-public.pem",
    ];
    let jwks: Vec<Value> = files
        .iter()
        .map(|f| {
            let a = uvtool()
                .args(["jwk", "--key", &path_str(&dir.join(f))])
                .assert()
                .success();
            serde_json::from_slice(&a.get_output().stdout).unwrap()
        })
        .collect();
    let read = py_stdin(&p, check_jwk, &Value::from(jwks).to_string());
    assert_eq!(read.lines().count(), files.len(), "{read}");
    for (f, line) in files.iter().zip(read.lines()) {
        assert_eq!(line, format!("{n} {e}"), "{f}");
    }
    for f in ["cert.pem", "cert.der"] {
        let a = uvtool()
            .args(["jwk", "--cert", &path_str(&dir.join(f))])
            .args(["--key", &path_str(&dir.join("pkcs1.pem"))])
            .assert()
            .success();
        let jwk: Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
        use base64::Engine;
        let der = base64::engine::general_purpose::STANDARD
            .decode(jwk["x5c"][0].as_str().unwrap())
            .unwrap();
        assert_eq!(der, fs::read(dir.join("cert.der")).unwrap(), "{f}");
    }
}

/// Run a Python snippet with `input` on stdin; it must succeed.
fn py_stdin(p: &Path, code: &str, input: &str) -> String {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(p)
        .arg("-c")
        .arg(code)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = crate::common::collect_within(child, crate::common::BOUND, "python");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
